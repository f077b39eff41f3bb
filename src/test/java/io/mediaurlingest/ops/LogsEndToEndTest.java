package io.mediaurlingest.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aliyun.ice20201109.models.GetUrlUploadInfosRequest;
import com.aliyun.ice20201109.models.UploadMediaByURLRequest;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.ForkedService;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as java -jar runs it with ingest.log.format=json and every kind of secret set:
 * each line it writes is one JSON object, a job's lines carry its JobId, and no secret appears
 * in any line, whatever the jobs meet (success, a missing source, a URL with a password, a
 * signed and a badly signed call).
 */
class LogsEndToEndTest {

    static final String ACCESS_KEY_SECRET = "ApiSecret-7f3b9c1d";
    static final String STORE_SECRET = "StoreSecret-2a8e4f6b";
    static final String DB_PASSWORD = "DbPassword-5c1d9e3a";
    static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString("WebhookKey-9b7a".getBytes());
    static final String CALLBACK_AUTH_KEY = "CallbackAuthKey-4e2f8a1c";
    static final String URL_PASSWORD = "UrlPassword-6d3c2b9f";

    @TempDir
    Path dataDir;

    @Test
    void everyLineIsOneJsonObjectAJobsLinesCarryItsJobIdAndNoSecretIsWritten() throws Exception {
        Path log = dataDir.resolve("service.log");
        Map<String, String> settings = new LinkedHashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.log.format", "json");
        settings.put("ingest.auth.access-key-id", "ops-admin");
        settings.put("ingest.auth.access-key-secret", ACCESS_KEY_SECRET);
        settings.put("ingest.store.secret-access-key", STORE_SECRET);
        settings.put("ingest.db.password", DB_PASSWORD);
        settings.put("ingest.callback.webhook-secret", WEBHOOK_SECRET);
        settings.put("ingest.callback.auth-key", CALLBACK_AUTH_KEY);
        String successId;
        List<String> jobIds = new ArrayList<>();
        try (LoopbackHttpServer sources = new LoopbackHttpServer()
                .serve("/media/sample.mp4", "video/mp4", Fixtures.media("sample.mp4"));
             LoopbackHttpServer receiver = new LoopbackHttpServer();
             ForkedService service = ForkedService.start("256m", RunningService.freePort(), dataDir.resolve("data"), log,
                     settings)) {
            var sdk = new com.aliyun.ice20201109.Client(new com.aliyun.teaopenapi.models.Config()
                    .setAccessKeyId("ops-admin").setAccessKeySecret(ACCESS_KEY_SECRET)
                    .setEndpoint(java.net.URI.create(service.baseUrl()).getAuthority()).setProtocol("HTTP")
                    .setRegionId("cn-shanghai"));
            String withPassword = sources.url("/media/sample.mp4").replace("://", "://user:" + URL_PASSWORD + "@");
            String urls = String.join(",", RunningService.encode(sources.url("/media/sample.mp4")),
                    RunningService.encode(sources.url("/media/missing.mp4")), RunningService.encode(withPassword));
            var uploaded = sdk.uploadMediaByURL(new UploadMediaByURLRequest().setUploadURLs(urls)
                    .setUserData("{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}")).getBody();
            uploaded.getUploadJobs().forEach(job -> jobIds.add(job.getJobId()));
            successId = jobIds.get(0);
            await().atMost(Duration.ofSeconds(60)).until(() -> sdk.getUrlUploadInfos(new GetUrlUploadInfosRequest()
                    .setJobIds(String.join(",", jobIds))).getBody().getURLUploadInfoList().stream()
                    .allMatch(i -> List.of("SUCCESS", "FAIL").contains(i.getStatus())));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requestCount() >= 3);
            // a call signed with a wrong secret is refused (and logged as refused, without secrets)
            var wrong = new com.aliyun.ice20201109.Client(new com.aliyun.teaopenapi.models.Config()
                    .setAccessKeyId("ops-admin").setAccessKeySecret("not-" + ACCESS_KEY_SECRET)
                    .setEndpoint(java.net.URI.create(service.baseUrl()).getAuthority()).setProtocol("HTTP")
                    .setRegionId("cn-shanghai"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> wrong.getUrlUploadInfos(
                    new GetUrlUploadInfosRequest().setJobIds(successId))).hasMessageContaining("signature does not match");
        }

        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThan(10);
        List<JsonNode> entries = new ArrayList<>();
        for (String line : lines) {
            JsonNode entry = Json.read(line); // throws on a line that is not one JSON object
            assertThat(entry.isObject()).as(line).isTrue();
            assertThat(entry.path("level").asText()).as(line).isNotBlank();
            assertThat(entry.path("@timestamp").asText()).as(line).isNotBlank();
            entries.add(entry);
        }
        for (String jobId : jobIds) { // each job ends with a line that carries its JobId
            assertThat(entries).anySatisfy(e -> {
                assertThat(e.path("JobId").asText()).isEqualTo(jobId);
                assertThat(e.path("message").asText()).matches("Job " + jobId + " (SUCCESS|FAIL): .*");
            });
        }
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("JobId").asText()).isEqualTo(successId);
            assertThat(e.path("camel.routeId").asText()).isEqualTo("ingest");
            assertThat(e.path("message").asText()).isEqualTo("Job " + successId + " SUCCESS: media "
                    + e.path("MediaId").asText() + " (" + Fixtures.media("sample.mp4").length + " bytes)");
        });
        // the submit's line and the refused call's carry their RequestIds
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("RequestId").asText()).matches("[0-9A-F]{32}");
            assertThat(e.path("message").asText()).isEqualTo("3 job(s) submitted");
        });
        assertThat(entries).anySatisfy(e -> {
            assertThat(e.path("RequestId").asText()).matches("[0-9A-F]{32}");
            assertThat(e.path("message").asText()).isEqualTo("Call refused: SignatureDoesNotMatch");
        });
        String all = String.join("\n", lines);
        for (String secret : List.of(ACCESS_KEY_SECRET, STORE_SECRET, DB_PASSWORD, WEBHOOK_SECRET,
                WEBHOOK_SECRET.substring(6), CALLBACK_AUTH_KEY, URL_PASSWORD)) {
            assertThat(all).as("the log holds no secret").doesNotContain(secret);
        }
    }
}
