package io.mediaurlingest.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.store.EmbeddedS3Store;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * camel-main's management server on real parts: the service on an S3 endpoint of its own (an
 * S3Proxy this test starts, stops and starts again), H2, media from a loopback server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndToEndTest {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path storeDir;

    static EmbeddedS3Store store;
    static LoopbackHttpServer sources;
    static LoopbackHttpServer receiver;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        store = new EmbeddedS3Store(storeDir, "127.0.0.1", RunningService.freePort(), "ops-identity", "ops-credential");
        store.start();
        sources = new LoopbackHttpServer()
                .serve("/media/sample.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                .serve("/media/sample.mp3", "audio/mpeg", Fixtures.media("sample.mp3"));
        receiver = new LoopbackHttpServer();
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.store.endpoint", store.endpoint().toString());
        settings.put("ingest.store.access-key-id", "ops-identity");
        settings.put("ingest.store.secret-access-key", "ops-credential");
        service = RunningService.start(dataDir, settings);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        sources.close();
        receiver.close();
        store.stop();
    }

    @Test
    @Order(1)
    void healthIsUpWithEveryDependencyNamed() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> health = service.management("/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = Json.read(health.body());
            assertThat(body.path("status").asText()).isEqualTo("UP");
            assertThat(statusOf(body, "database")).isEqualTo("UP");
            assertThat(statusOf(body, "store-local-vod")).isEqualTo("UP");
            assertThat(statusOf(body, "disk-space")).isEqualTo("UP");
        });
        assertThat(service.management("/observe/health/live").statusCode()).isEqualTo(200);
        assertThat(service.management("/observe/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void metricsCountTheJobsByOutcomeAndTheirBytes() throws Exception {
        Map<String, Double> before = metrics();
        String urls = String.join(",", sources.url("/media/sample.mp4"), sources.url("/media/sample.mp3"),
                sources.url("/media/missing.mp4"));
        JsonNode submitted = service.call("UploadMediaByURL", Map.of("UploadURLs", urls,
                "UserData", "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}")).body();
        for (JsonNode job : submitted.path("UploadJobs")) {
            service.awaitJobEnd(job.path("JobId").asText());
        }
        long stored = Fixtures.media("sample.mp4").length + Fixtures.media("sample.mp3").length;
        // the three events are delivered (counted once each delivery's answer is recorded)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(delta(before, metrics(),
                "ingest_callback_deliveries_total{outcome=\"delivered\"}")).isEqualTo(3));

        Map<String, Double> after = metrics();
        assertThat(delta(before, after, "ingest_jobs_submitted_total")).isEqualTo(3);
        assertThat(delta(before, after, "ingest_jobs_ended_total{error_code=\"\",status=\"SUCCESS\"}")).isEqualTo(2);
        assertThat(delta(before, after, "ingest_jobs_ended_total{error_code=\"SourceNotFound\",status=\"FAIL\"}")).isEqualTo(1);
        assertThat(delta(before, after, "ingest_stored_bytes_total")).isEqualTo(stored);
        assertThat(delta(before, after, "ingest_downloaded_bytes_total")).isEqualTo(stored);
        assertThat(delta(before, after, "ingest_download_attempts_total")).isEqualTo(3);
        assertThat(delta(before, after, "ingest_job_duration_seconds_count{status=\"SUCCESS\"}")).isEqualTo(2);
        assertThat(receiver.requestCount()).isEqualTo(3);
        assertThat(delta(before, after, "ingest_callback_delivery_seconds_count")).isEqualTo(3);
        assertThat(after).containsEntry("ingest_jobs{status=\"PENDING\"}", 0.0)
                .containsEntry("ingest_jobs{status=\"PROCESSING\"}", 0.0);
        // Camel's own route meters are there too
        assertThat(after.keySet()).anyMatch(k -> k.startsWith("camel_exchanges_total{") && k.contains("routeId=\"ingest\""));
    }

    @Test
    @Order(3)
    void readinessIsDownWhileTheStoreIsAwayAndUpWhenItReturns() throws Exception {
        store.stop();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> ready = service.management("/observe/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                JsonNode body = Json.read(ready.body());
                assertThat(body.path("status").asText()).isEqualTo("DOWN");
                assertThat(statusOf(body, "store-local-vod")).isEqualTo("DOWN");
                assertThat(check(body, "store-local-vod").path("message").asText()).startsWith("store-local-vod is down");
                assertThat(statusOf(body, "database")).isEqualTo("UP");
            });
            // a store outage is no reason to restart the service
            assertThat(service.management("/observe/health/live").statusCode()).isEqualTo(200);
        } finally {
            store.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(service.management("/observe/health/ready").statusCode()).isEqualTo(200));
    }


    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String statusOf(JsonNode health, String name) {
        return check(health, name).path("status").asText("absent");
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

    /** The scrape, parsed as Prometheus text: every sample by name and labels. */
    static Map<String, Double> metrics() throws Exception {
        HttpResponse<String> scrape = service.management("/observe/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Map<String, Double> samples = new HashMap<>();
        for (String line : scrape.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("a Prometheus sample line: %s", line).isTrue();
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).as("the scrape has %s", sample).containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }

}
