package io.mediaurlingest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.support.FaultySource;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store goes away in the middle of a batch (a real S3 endpoint, an S3Proxy this test runs,
 * stopped while a large file streams into it, one of unknown size goes up as a multipart upload,
 * and small ones wait to be stored) and comes back:
 * every job retries with backoff and ends SUCCESS with identical bytes, readiness says the store
 * is down meanwhile, and nothing is left in the store but the media.
 */
class StoreOutageEndToEndTest {

    static final int LARGE = 12 << 20;

    @TempDir
    Path dataDir;
    @TempDir
    Path storeDir;

    @Test
    void aStoreOutageMidBatchIsRiddenOutAndLeavesOnlyTheMedia() throws Exception {
        byte[] large = Fixtures.mp4OfSize(LARGE, 11);
        byte[] sample = Fixtures.media("sample.mp4");
        int storePort = RunningService.freePort();
        EmbeddedS3Store store = new EmbeddedS3Store(storeDir, "127.0.0.1", storePort, "outage-id", "outage-secret");
        store.start();
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.store.endpoint", "http://127.0.0.1:" + storePort);
        settings.put("ingest.store.access-key-id", "outage-id");
        settings.put("ingest.store.secret-access-key", "outage-secret");
        settings.put("ingest.fetch.retry-delay", "500ms");
        settings.put("ingest.fetch.max-retry-delay", "2s");
        settings.put("ingest.fetch.max-attempts", "40");
        settings.put("ingest.store.part-size", "5MB");
        settings.put("ingest.store.abort-retry-period", "1s");
        try (FaultySource held = new FaultySource(large).holdAt(6 << 20);
             LoopbackHttpServer sources = new LoopbackHttpServer()
                     .serve("/media/sample.mp4", "video/mp4", sample)
                     .serve("/media/sample.mp3", "audio/mpeg", Fixtures.media("sample.mp3"))
                     .serve("/media/sample.webm", "video/webm", Fixtures.media("sample.webm"))
                     // no Content-Length, about 3 MB/s: a multipart upload while it downloads
                     .serveChunkedSlowly("/media/unknown-size.mp4", "video/mp4", large, 20);
             RunningService service = RunningService.start(dataDir, settings)) {
            List<JsonNode> jobs = new ArrayList<>(submit(service, held.url("/large.mp4")));
            assertThat(held.awaitHeld()).isTrue(); // half the large file has streamed into the store
            jobs.addAll(submit(service, sources.url("/media/unknown-size.mp4")));
            StorageLocation location = service.bean("storageLocations", StorageLocations.class).defaultLocation();
            await().atMost(Duration.ofSeconds(30)).until(() -> !location.s3().listMultipartUploads(b -> b.bucket(location.bucket()))
                    .uploads().isEmpty()); // its multipart upload has begun

            store.stop();
            held.release();
            jobs.addAll(submit(service, String.join(",", sources.url("/media/sample.mp4"),
                    sources.url("/media/sample.mp3"), sources.url("/media/sample.webm"))));
            // meanwhile: readiness names the store, and every job is retried again and again
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode ready = Json.read(service.management("/observe/health/ready").body());
                assertThat(ready.path("status").asText()).isEqualTo("DOWN");
                assertThat(ready.toString()).contains("\"name\":\"store-local-vod\",\"status\":\"DOWN\"");
            });
            // the store stays away 30 s, as a restarting store does; the jobs retry all along
            await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(90))
                    .until(() -> service.metric("ingest_download_retries_total{error_code=\"StorageFailed\"}") >= 8);
            for (JsonNode job : jobs) {
                JsonNode info = service.call("GetUrlUploadInfos", Map.of("JobIds", job.path("JobId").asText()))
                        .body().path("URLUploadInfoList").get(0);
                assertThat(info.path("Status").asText()).as(info.toString()).isIn("PENDING", "PROCESSING");
            }

            store.start();
            for (JsonNode job : jobs) {
                JsonNode info = service.awaitJobEnd(job.path("JobId").asText());
                assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> service.management("/observe/health/ready").statusCode() == 200);

            Map<String, byte[]> expected = Map.of(held.url("/large.mp4"), large, sources.url("/media/unknown-size.mp4"), large,
                    sources.url("/media/sample.mp4"), sample,
                    sources.url("/media/sample.mp3"), Fixtures.media("sample.mp3"),
                    sources.url("/media/sample.webm"), Fixtures.media("sample.webm"));
            List<String> mediaKeys = new ArrayList<>();
            for (JsonNode job : jobs) {
                JsonNode file = service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).body()
                        .path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
                byte[] stored = service.download(file.path("FileUrl").asText());
                assertThat(Fixtures.sha256(stored)).as(job.path("SourceURL").asText())
                        .isEqualTo(Fixtures.sha256(expected.get(job.path("SourceURL").asText())));
                mediaKeys.add(URI.create(file.path("FileUrl").asText()).getPath().replaceFirst("^/vod/", ""));
            }
            // nothing else in the store: no multipart upload, no partial object, no orphan
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    location.s3().listObjectsV2(b -> b.bucket(location.bucket())).contents().stream()
                            .map(o -> o.key()).filter(k -> !k.endsWith("/")).toList())
                    .containsExactlyInAnyOrderElementsOf(mediaKeys));
            try (Stream<Path> files = Files.walk(storeDir.resolve("vod"))) {
                assertThat(files.filter(Files::isRegularFile).count()).as("files in the store's folder")
                        .isEqualTo(mediaKeys.size());
            }
        } finally {
            store.stop();
        }
    }

    private static List<JsonNode> submit(RunningService service, String urls) throws Exception {
        List<JsonNode> jobs = new ArrayList<>();
        String encoded = String.join(",", Stream.of(urls.split(",")).map(RunningService::encode).toList());
        service.call("UploadMediaByURL", Map.of("UploadURLs", encoded)).body().path("UploadJobs").forEach(jobs::add);
        return jobs;
    }
}
