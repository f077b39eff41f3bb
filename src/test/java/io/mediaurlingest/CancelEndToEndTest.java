package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancel of a running download: it stops, and nothing is left in the store or the library. */
class CancelEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void aRunningDownloadIsCutOffAndLeavesNothingBehind() throws Exception {
        byte[] big = Fixtures.mp4OfSize(8 << 20, 7); // served 64 KiB per 50 ms
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serveSlowly("/slow.mp4", "video/mp4", big, 50);
                LoopbackHttpServer receiver = new LoopbackHttpServer();
                RunningService service = RunningService.start(dataDir, RunningService.loopbackAllowed())) {
            String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}";
            JsonNode job = service.call("UploadMediaByURL",
                    Map.of("UploadURLs", RunningService.encode(sources.url("/slow.mp4")), "UserData", userData))
                    .body().path("UploadJobs").get(0);
            String jobId = job.path("JobId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> info(service, jobId).path("BytesDone").asLong() > 0);
            assertThat(info(service, jobId).path("Status").asText()).isEqualTo("PROCESSING");

            JsonNode reply = service.call("CancelUrlUploadJobs", Map.of("JobIds", jobId + ",no-such-job")).body();

            assertThat(reply.path("CanceledJobs")).extracting(JsonNode::asText).containsExactly(jobId);
            assertThat(reply.path("NonExists")).extracting(JsonNode::asText).containsExactly("no-such-job");
            assertThat(info(service, jobId).path("Status").asText()).isEqualTo("CANCELED");
            Path partial = dataDir.resolve("tmp").resolve(jobId + ".part");
            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(partial));
            var location = service.bean("storageLocations", StorageLocations.class).defaultLocation();
            assertThat(location.s3().listObjectsV2(b -> b.bucket(location.bucket())).contents()).isEmpty();
            assertThat(service.bean("mediaRepository", MediaRepository.class).count(job.path("MediaId").asText())).isZero();
            assertThat(service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).status()).isEqualTo(404);

            // one event, status fail with ErrorCode Canceled; a second cancel is ignored
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received().size() == 1);
            JsonNode event = receiver.received().get(0).iceMessage();
            assertThat(event.path("Status").asText()).isEqualTo("Fail");
            assertThat(event.path("ErrorCode").asText()).isEqualTo("Canceled");
            JsonNode again = service.call("CancelUrlUploadJobs", Map.of("JobIds", jobId)).body();
            assertThat(again.path("IgnoredJobs")).extracting(JsonNode::asText).containsExactly(jobId);
            assertThat(again.path("CanceledJobs")).isEmpty();
        }
    }

    private static JsonNode info(RunningService service, String jobId) throws Exception {
        return service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0);
    }
}
