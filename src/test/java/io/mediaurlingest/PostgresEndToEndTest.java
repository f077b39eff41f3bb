package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LocalPostgres;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same schema and repositories on a real PostgreSQL server: migrations, a job end to end,
 * the media library, cancel, the outbox and a replayed nonce's unique key.
 */
class PostgresEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void theServiceRunsOnPostgresql() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start();
                LoopbackHttpServer sources = new LoopbackHttpServer()
                        .serve("/a.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                        .serveSlowly("/slow.mp4", "video/mp4", slowBody(), 100);
                LoopbackHttpServer receiver = new LoopbackHttpServer()) {
            Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
            settings.put("ingest.db.url", postgres.jdbcUrl());
            settings.put("ingest.db.username", "postgres");
            try (RunningService service = RunningService.start(dataDir, settings)) {
                String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/e") + "\"},\"Extend\":{\"db\":\"pg\"}}";
                JsonNode job = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/a.mp4")),
                        "UserData", userData)).body().path("UploadJobs").get(0);
                await().atMost(Duration.ofSeconds(30)).until(() -> status(service, job.path("JobId").asText()).equals("SUCCESS"));
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
                assertThat(receiver.received().get(0).iceMessage().path("Extend").path("db").asText()).isEqualTo("pg");

                JsonNode media = service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).body();
                String fileUrl = media.path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo").path("FileUrl").asText();
                assertThat(Fixtures.sha256(service.download(fileUrl))).isEqualTo(Fixtures.sha256(Fixtures.media("sample.mp4")));
                JsonNode listed = service.call("ListMediaBasicInfos", Map.of("MediaType", "video", "MaxResults", "1")).body();
                assertThat(listed.path("TotalCount").asLong()).isEqualTo(1);
                assertThat(service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(sources.url("/a.mp4"))))
                        .body().path("URLUploadInfoList")).hasSize(1);

                String slowJob = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/slow.mp4"))))
                        .body().path("UploadJobs").get(0).path("JobId").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> status(service, slowJob).equals("PROCESSING"));
                ApiReply canceled = service.call("CancelUrlUploadJobs", Map.of("JobIds", slowJob));
                assertThat(canceled.body().path("CanceledJobs")).extracting(JsonNode::asText).containsExactly(slowJob);
                assertThat(status(service, slowJob)).isEqualTo("CANCELED");

                ApiReply refused = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/x.txt"))));
                assertThat(refused.status()).isEqualTo(400);
            }
        }
    }

    private static byte[] slowBody() throws Exception {
        byte[] body = new byte[2 << 20];
        System.arraycopy(Fixtures.media("sample.mp4"), 0, body, 0, Fixtures.media("sample.mp4").length);
        return body;
    }

    private static String status(RunningService service, String jobId) throws Exception {
        return service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0)
                .path("Status").asText();
    }
}
