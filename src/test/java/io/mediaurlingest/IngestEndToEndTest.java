package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole service on embedded S3Proxy and H2, real media from a loopback server, a real receiver. */
class IngestEndToEndTest {

    @TempDir
    static Path dataDir;

    static LoopbackHttpServer sources;
    static LoopbackHttpServer receiver;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        sources = new LoopbackHttpServer()
                .serve("/media/sample.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                .serve("/media/sample.mp3", "audio/mpeg", Fixtures.media("sample.mp3"))
                .serve("/media/sample.webm", "video/webm", Fixtures.media("sample.webm"))
                .serve("/media/login.mp4", "text/html", "<!DOCTYPE html><html><body>Please log in</body></html>".getBytes());
        receiver = new LoopbackHttpServer();
        service = RunningService.start(dataDir, RunningService.loopbackAllowed());
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
        receiver.close();
    }

    @Test
    void aBatchOfThreeMediaUrlsIsStoredByteForByteAndCalledBackOncePerUrl() throws Exception {
        List<String> names = List.of("sample.mp4", "sample.mp3", "sample.webm");
        List<String> urls = names.stream().map(n -> sources.url("/media/" + n)).toList();
        String uploadUrls = String.join(",", urls.stream().map(RunningService::encode).toList());
        String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"},"
                + "\"Extend\":{\"batch\":\"b-1\",\"n\":3}}";

        ApiReply submitted = service.call("UploadMediaByURL", Map.of("UploadURLs", uploadUrls, "UserData", userData));

        assertThat(submitted.status()).isEqualTo(200);
        assertThat(submitted.body().path("RequestId").asText()).isNotBlank();
        JsonNode jobs = submitted.body().path("UploadJobs");
        assertThat(jobs).hasSize(3);
        List<String> jobIds = new ArrayList<>();
        Map<String, String> mediaByUrl = new HashMap<>();
        for (JsonNode job : jobs) {
            jobIds.add(job.path("JobId").asText());
            mediaByUrl.put(job.path("SourceURL").asText(), job.path("MediaId").asText());
        }
        assertThat(mediaByUrl.keySet()).containsExactlyInAnyOrderElementsOf(urls);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode infos = service.call("GetUrlUploadInfos", Map.of("JobIds", String.join(",", jobIds)))
                    .body().path("URLUploadInfoList");
            assertThat(infos).hasSize(3);
            infos.forEach(info -> assertThat(info.path("Status").asText()).isEqualTo("SUCCESS"));
            infos.forEach(info -> assertThat(info.path("NodeId").asText()).as("the node that ran it").isNotBlank());
        });

        for (String name : names) {
            byte[] source = Fixtures.media(name);
            String mediaId = mediaByUrl.get(sources.url("/media/" + name));
            ApiReply media = service.call("GetMediaInfo", Map.of("MediaId", mediaId));
            assertThat(media.status()).isEqualTo(200);
            JsonNode basic = media.body().path("MediaInfo").path("MediaBasicInfo");
            assertThat(basic.path("MediaId").asText()).isEqualTo(mediaId);
            assertThat(basic.path("Title").asText()).isEqualTo("sample");
            assertThat(basic.path("MediaType").asText()).isEqualTo(name.endsWith("mp3") ? "audio" : "video");
            JsonNode file = media.body().path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
            assertThat(file.path("FileType").asText()).isEqualTo("source_file");
            assertThat(file.path("FileSize").asLong()).isEqualTo(source.length);
            assertThat(file.path("Sha256").asText()).isEqualTo(Fixtures.sha256(source));
            assertThat(file.path("Md5").asText()).as("the embedded store's MD5 of the one PUT").isEqualTo(Fixtures.md5(source));
            byte[] stored = service.download(file.path("FileUrl").asText());
            assertThat(Fixtures.sha256(stored)).isEqualTo(Fixtures.sha256(source));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> eventsFor(jobIds).size() == 3);
        List<JsonNode> events = eventsFor(jobIds);
        assertThat(events).extracting(e -> e.path("JobId").asText()).containsExactlyInAnyOrderElementsOf(jobIds);
        for (JsonNode event : events) {
            assertThat(event.path("Status").asText()).isEqualTo("Success");
            assertThat(event.path("MediaType").asText()).isEqualTo(event.path("SourceURL").asText().endsWith(".mp3") ? "audio" : "video");
            assertThat(event.path("Extend").path("batch").asText()).isEqualTo("b-1");
            assertThat(event.path("Extend").path("n").asInt()).isEqualTo(3);
            assertThat(mediaByUrl.get(event.path("SourceURL").asText())).isEqualTo(event.path("MediaId").asText());
            assertThat(event.path("Size").asLong()).isPositive();
        }
    }

    @Test
    void aMissingSourceFailsWithSourceNotFoundAndAFailureEvent() throws Exception {
        String url = sources.url("/media/gone.mp4");
        String userData = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}";
        String jobId = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url), "UserData", userData))
                .body().path("UploadJobs").get(0).path("JobId").asText();

        JsonNode info = awaitEnd(jobId);

        assertThat(info.path("Status").asText()).isEqualTo("FAIL");
        assertThat(info.path("ErrorCode").asText()).isEqualTo("SourceNotFound");
        assertThat(info.path("ErrorMessage").asText()).contains("404");
        await().atMost(Duration.ofSeconds(30)).until(() -> eventsFor(List.of(jobId)).size() == 1);
        JsonNode event = eventsFor(List.of(jobId)).get(0);
        assertThat(event.path("Status").asText()).isEqualTo("Fail");
        assertThat(event.path("ErrorCode").asText()).isEqualTo("SourceNotFound");
    }

    @Test
    void anHtmlPageNamedMp4FailsAsUnsupportedMediaTypeAndLeavesNoObject() throws Exception {
        String url = sources.url("/media/login.mp4");
        JsonNode job = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)))
                .body().path("UploadJobs").get(0);

        JsonNode info = awaitEnd(job.path("JobId").asText());

        assertThat(info.path("Status").asText()).isEqualTo("FAIL");
        assertThat(info.path("ErrorCode").asText()).isEqualTo("UnsupportedMediaType");
        var location = service.bean("storageLocations", StorageLocations.class).defaultLocation();
        var listing = location.s3().listObjectsV2(b -> b.bucket(location.bucket()).prefix("media/" + job.path("MediaId").asText()));
        assertThat(listing.contents()).isEmpty();
        assertThat(service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).status()).isEqualTo(404);
    }

    @Test
    void aFormPostIsReadLikeAQueryString() throws Exception {
        ApiReply reply = service.post("GetUrlUploadInfos", Map.of("JobIds", "nope-1,nope-2"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("NonExists")).extracting(JsonNode::asText).containsExactly("nope-1", "nope-2");
        assertThat(reply.body().path("URLUploadInfoList")).isEmpty();
    }

    @Test
    void refusalsComeBackInIceShapeWithoutCreatingJobs() throws Exception {
        ApiReply unknown = service.call("DescribeNothing", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("Code").asText()).isEqualTo("InvalidAction.NotFound");
        assertThat(unknown.body().path("RequestId").asText()).isNotBlank();

        ApiReply missing = service.call("UploadMediaByURL", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("Code").asText()).isEqualTo("MissingParameter");
        assertThat(missing.body().path("Message").asText()).contains("UploadURLs");

        String good = sources.url("/media/sample.mp4?batch=refused");
        String bad = sources.url("/media/notes.txt");
        ApiReply refused = service.call("UploadMediaByURL",
                Map.of("UploadURLs", RunningService.encode(good) + "," + RunningService.encode(bad)));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("Code").asText()).isEqualTo("InvalidParameter");
        assertThat(refused.body().path("Message").asText()).contains("txt");
        assertThat(refused.body().has("UploadJobs")).isFalse();
        // validated as a whole: the good URL of the refused batch got no job either
        JsonNode none = service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(good))).body();
        assertThat(none.path("URLUploadInfoList")).isEmpty();
        assertThat(none.path("NonExists")).extracting(JsonNode::asText).containsExactly(good);
    }

    private static JsonNode awaitEnd(String jobId) {
        return service.awaitJobEnd(jobId);
    }

    /** The MessageBody of each UploadByURLComplete event (ICE's envelope) of these jobs. */
    private static List<JsonNode> eventsFor(List<String> jobIds) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (LoopbackHttpServer.Received r : receiver.received()) {
            JsonNode envelope = r.event();
            JsonNode event = r.iceMessage();
            if (jobIds.contains(event.path("JobId").asText())) {
                assertThat(envelope.path("EventType").asText()).isEqualTo("UploadByURLComplete");
                assertThat(envelope.path("UserId").isIntegralNumber()).as(envelope.toString()).isTrue();
                assertThat(envelope.path("EventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
                assertThat(event.path("Size").isTextual() || event.path("Size").isMissingNode()).as(event.toString()).isTrue();
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void healthIsUpOnTheEmbeddedDefaultsWithTheDatabaseTheStoreAndTheDisk() throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var reply = service.management("/observe/health/ready");
            assertThat(reply.statusCode()).isEqualTo(200);
            JsonNode health = io.mediaurlingest.Json.read(reply.body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            List<String> up = new ArrayList<>();
            health.path("checks").forEach(c -> {
                if (c.path("status").asText().equals("UP")) {
                    up.add(c.path("name").asText());
                }
            });
            assertThat(up).contains("context", "database", "store-local-vod", "disk-space", "route:ingest", "route:ice-api");
        });
    }
}
