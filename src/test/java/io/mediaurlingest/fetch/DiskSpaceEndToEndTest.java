package io.mediaurlingest.fetch;

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
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest.data-dir without room: a job waits (WaitingFor DiskSpace, attempts not spent) instead of
 * failing half-way, and goes on once there is room. The reserve is set above the free space
 * while the service runs (diskReserve), so the test does not depend on what else the disk holds.
 */
class DiskSpaceEndToEndTest {

    static final long ABOVE_ANY_DISK = 1L << 60;

    @TempDir
    static Path dataDir;
    static RunningService service;
    static LoopbackHttpServer sources;
    static byte[] large;

    @BeforeAll
    static void start() throws Exception {
        large = Fixtures.mp4OfSize(30 << 20, 9);
        byte[] sample = Fixtures.media("sample.mp4");
        sources = new LoopbackHttpServer()
                .serve("/media/sample.mp4", "video/mp4", sample)
                // no Content-Length, about 3 MB/s: the free space is looked at every 8 MiB
                .serveChunkedSlowly("/media/unknown-size.mp4", "video/mp4", large, 20);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.fetch.max-attempts", "2"); // waiting must not spend them
        service = RunningService.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
    }

    @Test
    void aJobWhoseFileDoesNotFitWaitsWithoutSpendingAttemptsAndGoesOnOnceThereIsRoom() throws Exception {
        DiskReserve reserve = service.bean("diskReserve", DiskReserve.class);
        reserve.setMinFree(ABOVE_ANY_DISK);
        try {
            String jobId = submit(sources.url("/media/sample.mp4"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode info = info(jobId);
                assertThat(info.path("Status").asText()).isEqualTo("PROCESSING");
                assertThat(info.path("WaitingFor").asText()).isEqualTo("DiskSpace");
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> sourceRequests("/media/sample.mp4") >= 3);
            assertThat(info(jobId).path("Status").asText()).as("three looks, two attempts allowed").isEqualTo("PROCESSING");
            assertThat(temporaryFiles()).isEmpty();
        } finally {
            reserve.setMinFree(0);
        }
        String jobId = service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(sources.url("/media/sample.mp4"))))
                .body().path("URLUploadInfoList").get(0).path("JobId").asText();
        JsonNode done = service.awaitJobEnd(jobId);
        assertThat(done.path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(done.has("WaitingFor")).isFalse();
        assertThat(Fixtures.sha256(service.storedFile(done.path("MediaId").asText()))).isEqualTo(Fixtures.sha256(Fixtures.media("sample.mp4")));
    }

    @Test
    void aFileOfUnknownSizeThatReachesTheReserveStopsCleansUpAndStartsOverLater() throws Exception {
        DiskReserve reserve = service.bean("diskReserve", DiskReserve.class);
        String jobId = submit(sources.url("/media/unknown-size.mp4"));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> info(jobId).path("BytesDone").asLong() > 0);
            reserve.setMinFree(ABOVE_ANY_DISK); // the disk "fills up" while the file comes in
            await().atMost(Duration.ofSeconds(30)).until(() -> "DiskSpace".equals(info(jobId).path("WaitingFor").asText()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(temporaryFiles()).isEmpty());
            assertThat(objectKeys()).as("no partial upload is kept").isEmpty();
        } finally {
            reserve.setMinFree(0);
        }
        JsonNode done = service.awaitJobEnd(jobId);
        assertThat(done.path("Status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        assertThat(Fixtures.sha256(service.storedFile(done.path("MediaId").asText()))).isEqualTo(Fixtures.sha256(large));
    }

    private static String submit(String url) throws Exception {
        return service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url))).body()
                .path("UploadJobs").get(0).path("JobId").asText();
    }

    private static JsonNode info(String jobId) throws Exception {
        return service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0);
    }

    private static long sourceRequests(String path) {
        return sources.received().stream().filter(r -> r.path().equals(path)).count();
    }

    private static List<Path> temporaryFiles() throws Exception {
        Path tmp = dataDir.resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.toList();
        }
    }

    private static List<String> objectKeys() {
        StorageLocation location = service.bean("storageLocations", StorageLocations.class).defaultLocation();
        return location.s3().listObjectsV2(b -> b.bucket(location.bucket())).contents().stream()
                .map(o -> o.key()).filter(k -> !k.endsWith("/")).toList(); // the file store lists folders too
    }
}
