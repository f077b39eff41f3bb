package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.ApiClient;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.ForkedService;
import io.mediaurlingest.support.GeneratedMediaSource;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a download, then a new process on the same database and store:
 * the job runs again and ends in exactly one SUCCESS, one media and one success event.
 */
class CrashRecoveryTest {

    @TempDir
    Path workDir;

    @Test
    void aJobInterruptedByAKillEndsOnceAfterTheRestart() throws Exception {
        long size = 24L << 20;
        try (GeneratedMediaSource source = new GeneratedMediaSource(Fixtures.media("sample.mp4"), size, 6L << 20);
                LoopbackHttpServer receiver = new LoopbackHttpServer()) {
            int apiPort = RunningService.freePort();
            Map<String, String> settings = Map.of(
                    "ingest.fetch.allow-private-networks", "true",
                    "ingest.callback.allow-private-networks", "true",
                    "ingest.store.embedded.port", String.valueOf(RunningService.freePort()),
                    "ingest.job.lease", "3s",
                    "ingest.job.lease-renewal", "1000",
                    "ingest.job.sweep-period", "1000");
            Path data = workDir.resolve("data");
            String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}";

            JsonNode job;
            ForkedService first = ForkedService.start("256m", apiPort, data, workDir.resolve("first.log"), settings);
            try {
                ApiClient api = new ApiClient(first.baseUrl());
                job = api.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(source.url("/slow.mp4")),
                        "UserData", userData)).path("UploadJobs").get(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> api.job(job.path("JobId").asText()).path("BytesDone").asLong() > 0);
            } finally {
                first.kill();
            }
            assertThat(first.isAlive()).isFalse();

            try (ForkedService second = ForkedService.start("256m", apiPort, data, workDir.resolve("second.log"), settings)) {
                ApiClient api = new ApiClient(second.baseUrl());
                String jobId = job.path("JobId").asText();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> List.of("SUCCESS", "FAIL").contains(api.job(jobId).path("Status").asText()));

                JsonNode info = api.job(jobId);
                assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
                JsonNode listed = api.call("ListMediaBasicInfos", Map.of("MaxResults", "100", "IncludeFileBasicInfo", "true"));
                assertThat(listed.path("TotalCount").asLong()).isEqualTo(1);
                JsonNode media = listed.path("MediaInfos").get(0);
                assertThat(media.path("MediaId").asText()).isEqualTo(job.path("MediaId").asText());
                String fileUrl = media.path("FileInfoList").get(0).path("FileBasicInfo").path("FileUrl").asText();
                assertThat(api.sha256Of(fileUrl)).isEqualTo(source.sha256());
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 1);
                // the outbox is drained; exactly one event for the job, and it is the success
                long successes = receiver.received().stream().map(r -> r.bodyText())
                        .filter(b -> b.contains(jobId) && b.contains("\"Status\":\"Success\"")).count();
                assertThat(successes).isEqualTo(1);
                assertThat(receiver.received()).hasSize(1);
            }
        }
    }
}
