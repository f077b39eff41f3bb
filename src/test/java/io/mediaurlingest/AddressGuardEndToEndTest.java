package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the default settings, nothing a caller sends reaches a loopback server. */
class AddressGuardEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void aLoopbackSourceAndALoopbackCallbackAreNeverContacted() throws Exception {
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serve("/v.mp4", "video/mp4", Fixtures.media("sample.mp4"));
                LoopbackHttpServer receiver = new LoopbackHttpServer();
                RunningService service = RunningService.start(dataDir, Map.of())) {
            String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/hook") + "\"}}";
            var refused = service.call("UploadMediaByURL",
                    Map.of("UploadURLs", RunningService.encode(sources.url("/v.mp4")), "UserData", userData));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().path("Message").asText()).contains("CallbackURL");

            String jobId = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/v.mp4"))))
                    .body().path("UploadJobs").get(0).path("JobId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> "FAIL".equals(info(service, jobId).path("Status").asText()));
            assertThat(info(service, jobId).path("ErrorCode").asText()).isEqualTo("AddressNotAllowed");

            assertThat(sources.requestCount()).isZero();
            assertThat(receiver.requestCount()).isZero();
        }
    }

    private static JsonNode info(RunningService service, String jobId) throws Exception {
        return service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0);
    }

}
