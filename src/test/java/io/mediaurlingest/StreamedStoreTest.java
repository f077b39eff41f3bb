package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.FaultySource;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files larger than a part are stored while they download: one PUT that follows the file on
 * disk when the source announces its length, a multipart upload when it does not. The object
 * appears only once the job has passed its checks; a cut, a failed check or a cancel leaves
 * nothing in the store.
 */
class StreamedStoreTest {

    static final int SIZE = 12 << 20;

    @TempDir
    static Path dataDir;
    static RunningService service;
    static byte[] media;

    @BeforeAll
    static void start() throws Exception {
        media = Fixtures.mp4OfSize(SIZE, 5);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.store.part-size", "5MB"); // S3's smallest part
        settings.put("ingest.fetch.retry-delay", "200ms");
        settings.put("ingest.fetch.max-attempts", "3");
        service = RunningService.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @BeforeEach
    void emptyStore() {
        StorageLocation location = location();
        location.s3().listObjectsV2(b -> b.bucket(location.bucket())).contents()
                .forEach(o -> location.delete(o.key()));
    }

    @Test
    void theStoreReceivesTheFileWhileItDownloads() throws Exception {
        try (FaultySource source = new FaultySource(media).holdAt(6 << 20)) {
            JsonNode job = submit(source.url("/held.mp4"), null);
            assertThat(source.awaitHeld()).isTrue();

            // half the file is at the source's side of the pause; the store is already writing it
            await().atMost(Duration.ofSeconds(20)).until(() -> bytesBeingReceived() >= 4 << 20);
            source.release();

            JsonNode info = awaitEnd(job.path("JobId").asText());
            assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
            assertThat(storedSha256(job)).isEqualTo(Fixtures.sha256(media));
            assertThat(objectKeys()).as("one object, no multipart leftovers")
                    .containsExactly("media/" + job.path("MediaId").asText() + ".mp4");
        }
    }

    @Test
    void aCutWhileStreamingIsResumedAndTheStoredFileIsWhole() throws Exception {
        try (FaultySource source = new FaultySource(media).cutFirst(1, 6 << 20)) {
            JsonNode job = submit(source.url("/cut.mp4"), null);
            JsonNode info = awaitEnd(job.path("JobId").asText());

            assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
            assertThat(source.ranges()).containsExactly("", "bytes=" + (6 << 20) + "-");
            assertThat(storedSha256(job)).isEqualTo(Fixtures.sha256(media));
            await().atMost(Duration.ofSeconds(10)).until(() -> receivingFiles().isEmpty());
            assertThat(objectKeys()).containsExactly("media/" + job.path("MediaId").asText() + ".mp4");
        }
    }

    @Test
    void aWrongAnnouncedMd5FailsAndTheStreamedFileNeverBecomesAnObject() throws Exception {
        try (FaultySource source = new FaultySource(media)) {
            String url = source.url("/md5.mp4");
            JsonNode job = submit(url, "[{\"SourceURL\":\"" + url + "\",\"Title\":\"t\",\"Md5\":\"00000000000000000000000000000000\"}]");
            JsonNode info = awaitEnd(job.path("JobId").asText());

            assertThat(info.path("Status").asText()).isEqualTo("FAIL");
            assertThat(info.path("ErrorCode").asText()).isEqualTo("ChecksumMismatch");
            // the store drops the cut-short PUT as soon as it notices the connection gone
            await().atMost(Duration.ofSeconds(10)).until(() -> receivingFiles().isEmpty());
            assertThat(objectKeys()).isEmpty();
        }
    }

    @Test
    void aCancelWhileStreamingLeavesNothingInTheStore() throws Exception {
        try (FaultySource source = new FaultySource(media).holdAt(6 << 20)) {
            JsonNode job = submit(source.url("/cancel.mp4"), null);
            assertThat(source.awaitHeld()).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> bytesBeingReceived() > 0);

            JsonNode reply = service.call("CancelUrlUploadJobs", Map.of("JobIds", job.path("JobId").asText())).body();
            source.release();

            assertThat(reply.path("CanceledJobs")).extracting(JsonNode::asText).containsExactly(job.path("JobId").asText());
            await().atMost(Duration.ofSeconds(10)).until(() -> receivingFiles().isEmpty());
            assertThat(objectKeys()).isEmpty();
        }
    }

    @Test
    void aSourceThatDoesNotAnnounceItsLengthIsStoredAsAMultipartUpload() throws Exception {
        try (LoopbackHttpServer source = new LoopbackHttpServer().serveChunked("/chunked.mp4", "video/mp4", media)) {
            JsonNode job = submit(source.url("/chunked.mp4"), null);
            JsonNode info = awaitEnd(job.path("JobId").asText());

            assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
            assertThat(storedSha256(job)).isEqualTo(Fixtures.sha256(media));
            String eTag = location().s3().headObject(b -> b.bucket(location().bucket())
                    .key("media/" + job.path("MediaId").asText() + ".mp4")).eTag();
            assertThat(eTag).as("a multipart ETag names its part count: 5 + 5 + 2 MiB").endsWith("-3\"");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static StorageLocation location() {
        return service.bean("storageLocations", StorageLocations.class).defaultLocation();
    }

    private static JsonNode submit(String url, String mediaMetaData) throws Exception {
        Map<String, String> parameters = new HashMap<>(Map.of("UploadURLs", RunningService.encode(url)));
        if (mediaMetaData != null) {
            parameters.put("MediaMetaData", mediaMetaData);
        }
        return service.call("UploadMediaByURL", parameters).body().path("UploadJobs").get(0);
    }

    private static JsonNode awaitEnd(String jobId) {
        return service.awaitJobEnd(jobId);
    }

    /** SHA-256 of the stored object's bytes; also checks the Md5 and Sha256 the media library reports for it. */
    private static String storedSha256(JsonNode job) throws Exception {
        JsonNode file = service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).body()
                .path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
        byte[] stored = service.download(file.path("FileUrl").asText());
        assertThat(file.path("Md5").asText()).as("Md5 of " + file).isEqualTo(Fixtures.md5(stored));
        assertThat(file.path("Sha256").asText()).isEqualTo(Fixtures.sha256(stored));
        return Fixtures.sha256(stored);
    }

    private static List<String> objectKeys() {
        return location().s3().listObjectsV2(b -> b.bucket(location().bucket())).contents().stream()
                .map(o -> o.key()).filter(key -> !key.endsWith("/")).toList(); // the file store lists folders too
    }

    /** Files the embedded store is still writing: its blob store receives each PUT into "{key}-{uuid}". */
    private static List<Path> receivingFiles() throws Exception {
        Path media = dataDir.resolve("store").resolve("vod").resolve("media");
        if (!Files.isDirectory(media)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(media)) {
            return files.filter(f -> f.getFileName().toString().matches(".+\\.mp4-[0-9a-f-]{36}")).toList();
        }
    }

    private static long bytesBeingReceived() throws Exception {
        long total = 0;
        for (Path file : receivingFiles()) {
            total += Files.size(file);
        }
        return total;
    }
}
