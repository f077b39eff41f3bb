package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.callback.CallbackSigner;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.LoopbackHttpServer.Received;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed, durable, retried delivery of job events to a real loopback receiver. */
class CallbackDeliveryTest {

    static final String AUTH_KEY = "ice-auth-key-1";
    static final byte[] SECRET = "a webhook secret of 32 bytes!!!!".getBytes();
    static final String WHSEC = "whsec_" + Base64.getEncoder().encodeToString(SECRET);

    @TempDir
    Path dataDir;

    private static Map<String, String> settings(String schedule) {
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.callback.retry-schedule", schedule);
        settings.put("ingest.callback.sweep-period", "100");
        settings.put("ingest.callback.auth-key", AUTH_KEY);
        settings.put("ingest.callback.webhook-secret", WHSEC);
        return settings;
    }

    private static String submit(RunningService service, LoopbackHttpServer sources, String callbackUrl) throws Exception {
        return service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url("/a.mp4")),
                        "UserData", "{\"MessageCallback\":{\"CallbackURL\":\"" + callbackUrl + "\"},\"Extend\":{\"k\":\"v\"}}"))
                .body().path("UploadJobs").get(0).path("JobId").asText();
    }

    @Test
    void aReceiverFailingTwiceGetsTheThirdAttemptSignedWithOneWebhookId() throws Exception {
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serve("/a.mp4", "video/mp4", Fixtures.media("sample.mp4"));
                LoopbackHttpServer receiver = new LoopbackHttpServer().statuses("/hook", 500, 503);
                RunningService service = RunningService.start(dataDir, settings("200ms,200ms,200ms"))) {
            String callbackUrl = receiver.url("/hook");
            String jobId = submit(service, sources, callbackUrl);

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 3);
            List<Received> attempts = receiver.received();
            assertThat(attempts).extracting(r -> r.header("webhook-id")).containsOnly(attempts.get(0).header("webhook-id"));
            for (Received attempt : attempts) {
                String id = attempt.header("webhook-id");
                String timestamp = attempt.header("webhook-timestamp");
                assertThat(attempt.header("webhook-signature"))
                        .isEqualTo("v1," + CallbackSigner.webhookSignature(SECRET, id, timestamp, attempt.bodyText()));
                assertThat(attempt.header("X-ICE-SIGNATURE"))
                        .isEqualTo(CallbackSigner.urlSignature(callbackUrl, attempt.header("X-ICE-TIMESTAMP"), AUTH_KEY));
                assertThat(attempt.header("X-VOD-SIGNATURE")).as("an ICE event is signed as ICE's").isNull();
                JsonNode event = attempt.iceMessage();
                assertThat(event.path("JobId").asText()).isEqualTo(jobId);
                assertThat(event.path("Extend").path("k").asText()).isEqualTo("v");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> status(service, jobId).equals("DELIVERED"));
            assertThat(receiver.received()).hasSize(3);
        }
    }

    @Test
    void aReceiverDownAcrossARestartGetsTheEventOnceAfterIt() throws Exception {
        int receiverPort;
        String jobId;
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serve("/a.mp4", "video/mp4", Fixtures.media("sample.mp4"))) {
            receiverPort = RunningService.freePort(); // nothing listens there yet: connection refused
            String callbackUrl = "http://127.0.0.1:" + receiverPort + "/hook";
            try (RunningService first = RunningService.start(dataDir, settings("300ms,300ms,300ms,300ms,300ms,300ms,1h"))) {
                jobId = submit(first, sources, callbackUrl);
                await().atMost(Duration.ofSeconds(30)).until(() -> attempts(first, jobId) >= 2);
            }
            try (LoopbackHttpServer receiver = new LoopbackHttpServer("127.0.0.1", receiverPort);
                    RunningService second = RunningService.start(dataDir, settings("300ms,300ms,300ms,300ms,300ms,300ms,1h"))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> status(second, jobId).equals("DELIVERED"));
                assertThat(receiver.received()).hasSize(1);
                assertThat(receiver.received().get(0).iceMessage().path("Status").asText()).isEqualTo("Success");
            }
        }
    }

    @Test
    void a410StopsRetriesAndDeadLettersCanBeListedAndSentAgain() throws Exception {
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serve("/a.mp4", "video/mp4", Fixtures.media("sample.mp4"));
                LoopbackHttpServer receiver = new LoopbackHttpServer().statuses("/gone", 410)
                        .statuses("/flaky", 500, 500, 500);
                RunningService service = RunningService.start(dataDir, settings("100ms,100ms"))) {
            String gone = submit(service, sources, receiver.url("/gone"));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(service, gone).equals("GONE"));

            String dead = submit(service, sources, receiver.url("/flaky"));
            await().atMost(Duration.ofSeconds(30)).until(() -> status(service, dead).equals("DEAD"));
            assertThat(receiver.received()).filteredOn(r -> r.path().equals("/flaky")).hasSize(3);
            assertThat(receiver.received()).filteredOn(r -> r.path().equals("/gone")).hasSize(1);

            JsonNode listed = service.call("ListCallbackEvents", Map.of("Status", "DEAD")).body();
            assertThat(listed.path("CallbackEvents")).extracting(e -> e.path("JobId").asText()).contains(dead);
            String eventId = event(service, dead).path("EventId").asText();
            JsonNode retried = service.call("RetryCallbackEvents", Map.of("EventIds", eventId + ",nope")).body();
            assertThat(retried.path("RetriedEvents")).extracting(JsonNode::asText).containsExactly(eventId);
            assertThat(retried.path("IgnoredEvents")).extracting(JsonNode::asText).containsExactly("nope");

            await().atMost(Duration.ofSeconds(30)).until(() -> status(service, dead).equals("DELIVERED"));
            assertThat(receiver.received()).filteredOn(r -> r.path().equals("/flaky")).hasSize(4);
            assertThat(receiver.received()).filteredOn(r -> r.path().equals("/gone")).hasSize(1);
        }
    }

    @Test
    void anOperatorsCamelEndpointAlsoGetsEveryEvent() throws Exception {
        Map<String, String> settings = settings("1h");
        settings.put("ingest.callback.endpoint", "seda:esb-media-events");
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serve("/a.mp4", "video/mp4", Fixtures.media("sample.mp4"));
                LoopbackHttpServer receiver = new LoopbackHttpServer();
                RunningService service = RunningService.start(dataDir, settings)) {
            String jobId = submit(service, sources, receiver.url("/hook"));

            String forwarded = service.context().createConsumerTemplate().receiveBody("seda:esb-media-events", 30_000, String.class);

            assertThat(forwarded).isNotNull();
            assertThat(Json.read(forwarded).path("MessageBody").path("JobId").asText()).isEqualTo(jobId);
            assertThat(Json.read(forwarded).path("EventType").asText()).isEqualTo("UploadByURLComplete");
        }
    }

    private static JsonNode event(RunningService service, String jobId) throws Exception {
        for (JsonNode e : service.call("ListCallbackEvents", Map.of("MaxResults", "100")).body().path("CallbackEvents")) {
            if (e.path("JobId").asText().equals(jobId)) {
                return e;
            }
        }
        return Json.MAPPER.createObjectNode();
    }

    private static String status(RunningService service, String jobId) throws Exception {
        return event(service, jobId).path("Status").asText();
    }

    private static int attempts(RunningService service, String jobId) throws Exception {
        return event(service, jobId).path("Attempts").asInt();
    }
}
