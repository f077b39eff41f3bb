package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.ApiClient;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.ForkedService;
import io.mediaurlingest.support.GeneratedMediaSource;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1.5 GB file, generated on the fly and never committed, ingests through a service whose
 * heap is limited to 192 MB (embedded S3 store included): memory does not grow with file size.
 */
class LargeFileFlatMemoryTest {

    static final long SIZE = 1536L << 20;

    @TempDir
    Path workDir;

    @Test
    void aFileEightTimesLargerThanTheHeapIsStoredByteForByte() throws Exception {
        try (GeneratedMediaSource source = new GeneratedMediaSource(Fixtures.media("sample.mp4"), SIZE, 0);
                ForkedService service = ForkedService.start("192m", RunningService.freePort(), workDir.resolve("data"),
                        workDir.resolve("service.log"), Map.of(
                                "ingest.fetch.allow-private-networks", "true",
                                "ingest.store.embedded.port", String.valueOf(RunningService.freePort()),
                                "ingest.store.part-size", "16MB"))) {
            ApiClient api = new ApiClient(service.baseUrl());
            String url = source.url("/big/movie.mp4");
            JsonNode job = api.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)))
                    .path("UploadJobs").get(0);

            await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !api.job(job.path("JobId").asText()).path("Status").asText().matches("PENDING|PROCESSING"));

            JsonNode info = api.job(job.path("JobId").asText());
            assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
            assertThat(info.path("FileSize").asLong()).isEqualTo(SIZE);
            assertThat(service.isAlive()).as("no OutOfMemoryError").isTrue();
            JsonNode file = api.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText()))
                    .path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
            String expected = source.sha256();
            assertThat(file.path("Sha256").asText()).isEqualTo(expected);
            assertThat(api.sha256Of(file.path("FileUrl").asText())).isEqualTo(expected);
        }
    }
}
