package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.FaultySource;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LocalPostgres;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops in the middle of a batch and starts again: the API answers 503
 * ServiceUnavailable meanwhile (quickly, with a Code), readiness names the database, a job that
 * finished its download waits and is recorded once the database is back, and the service goes
 * on by itself: no job lost or doubled, every event delivered once.
 */
class DatabaseOutageEndToEndTest {

    @TempDir
    Path dataDir;

    @Test
    void aDatabaseOutageMidBatchIsRiddenOutWithoutLosingOrDoublingAnything() throws Exception {
        byte[] held = Fixtures.mp4OfSize(2 << 20, 3);
        byte[] sample = Fixtures.media("sample.mp4");
        try (LocalPostgres postgres = LocalPostgres.start();
             FaultySource heldSource = new FaultySource(held).holdAt(1 << 20);
             LoopbackHttpServer sources = new LoopbackHttpServer()
                     .serve("/media/sample.mp4", "video/mp4", sample)
                     .serve("/media/sample.mp3", "audio/mpeg", Fixtures.media("sample.mp3"))
                     .serve("/media/sample.webm", "video/webm", Fixtures.media("sample.webm"));
             LoopbackHttpServer receiver = new LoopbackHttpServer()) {
            Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
            settings.put("ingest.db.url", postgres.jdbcUrl());
            settings.put("ingest.db.username", "postgres");
            settings.put("ingest.db.connection-timeout", "2s");
            settings.put("ingest.callback.sweep-period", "500ms");
            String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}";
            try (RunningService service = RunningService.start(dataDir, settings)) {
                List<String> jobIds = new ArrayList<>(submit(service, userData, heldSource.url("/held.mp4"),
                        sources.url("/media/sample.mp4"), sources.url("/media/sample.mp3")));
                assertThat(heldSource.awaitHeld()).isTrue();
                for (String done : jobIds.subList(1, 3)) {
                    assertThat(service.awaitJobEnd(done).path("Status").asText()).isEqualTo("SUCCESS");
                }

                postgres.stopServer();
                heldSource.release(); // the download ends while the database is away: the job must wait
                long before = System.nanoTime();
                ApiReply read = service.call("GetUrlUploadInfos", Map.of("JobIds", jobIds.get(0)));
                ApiReply write = service.call("UploadMediaByURL", Map.of("UploadURLs",
                        RunningService.encode(sources.url("/media/sample.webm"))));
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(15));
                for (ApiReply refused : List.of(read, write)) {
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(refused.body().path("Code").asText()).isEqualTo("ServiceUnavailable");
                    assertThat(refused.body().path("RequestId").asText()).isNotBlank();
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    HttpResponse<String> ready = service.management("/observe/health/ready");
                    assertThat(ready.statusCode()).isEqualTo(503);
                    assertThat(ready.body()).contains("\"name\":\"database\",\"status\":\"DOWN\"");
                });
                // the database stays away 20 s, as a restarting PostgreSQL does; the job waits all along
                await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(80)).until(() -> service.metric(
                        "ingest_download_retries_total{error_code=\"DatabaseUnavailable\"}") >= 2);

                postgres.startServer();
                assertThat(service.awaitJobEnd(jobIds.get(0)).path("Status").asText()).isEqualTo("SUCCESS");
                // the service goes on by itself: a new batch runs as before
                jobIds.addAll(submit(service, userData, sources.url("/media/sample.webm")));
                assertThat(service.awaitJobEnd(jobIds.get(3)).path("Status").asText()).isEqualTo("SUCCESS");
                await().atMost(Duration.ofSeconds(20)).until(() -> service.management("/observe/health/ready").statusCode() == 200);

                // every job once: one media each, one event each (by webhook-id), none other
                await().atMost(Duration.ofSeconds(60)).until(() -> jobsCalledBack(receiver).size() == 4);
                assertThat(jobsCalledBack(receiver)).containsExactlyInAnyOrderElementsOf(jobIds);
                Set<String> webhookIds = new HashSet<>();
                receiver.received().forEach(r -> webhookIds.add(r.headers().entrySet().stream()
                        .filter(e -> e.getKey().equalsIgnoreCase("webhook-id")).findFirst().orElseThrow().getValue().get(0)));
                assertThat(webhookIds).hasSize(4);
                JsonNode infos = service.call("GetUrlUploadInfos", Map.of("JobIds", String.join(",", jobIds))).body()
                        .path("URLUploadInfoList");
                assertThat(infos).hasSize(4).allSatisfy(i -> assertThat(i.path("Status").asText()).isEqualTo("SUCCESS"));
                assertThat(service.call("ListMediaBasicInfos", Map.of("MaxResults", "50")).body().path("TotalCount")
                        .asLong()).isEqualTo(4);
                String heldMediaId = service.awaitJobEnd(jobIds.get(0)).path("MediaId").asText();
                assertThat(Fixtures.sha256(service.storedFile(heldMediaId))).isEqualTo(Fixtures.sha256(held));
            }
        }
    }

    private static List<String> submit(RunningService service, String userData, String... urls) throws Exception {
        List<String> ids = new ArrayList<>();
        service.call("UploadMediaByURL", Map.of("UploadURLs", String.join(",", java.util.Arrays.stream(urls)
                .map(RunningService::encode).toList()), "UserData", userData)).body().path("UploadJobs")
                .forEach(j -> ids.add(j.path("JobId").asText()));
        return ids;
    }

    /** The JobIds of the events the receiver got, each as often as it came. */
    private static List<String> jobsCalledBack(LoopbackHttpServer receiver) throws Exception {
        List<String> ids = new ArrayList<>();
        for (var received : receiver.received()) {
            ids.add(received.iceMessage().path("JobId").asText());
        }
        return ids;
    }
}
