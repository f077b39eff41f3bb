package io.mediaurlingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Database;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.LoopbackHttpServer.Received;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Sources users reach today only with scripts: behind a header or a user:password@, with spaces
 * or commas in their names; and a submit that is safe to retry (ClientToken).
 */
class SourceReachEndToEndTest {

    static final String SECRET = "Bearer tok-7f3a9c-never-shown";
    static final String API_KEY = "key-d41d8cd9-never-shown";

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer sources;
    static LoopbackHttpServer elsewhere;
    static LoopbackHttpServer receiver;
    static RunningService service;
    static ListAppender<ILoggingEvent> logs = new ListAppender<>();
    static byte[] clip;

    @BeforeAll
    static void start() throws Exception {
        clip = Fixtures.media("sample.mp4");
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        logs.start();
        sources = new LoopbackHttpServer();
        elsewhere = new LoopbackHttpServer();
        receiver = new LoopbackHttpServer();
        Map<String, String> protectedBy = Map.of("Authorization", SECRET, "X-Api-Key", API_KEY);
        sources.serve("/p/clip.mp4", "video/mp4", clip).requireHeaders("/p/clip.mp4", protectedBy)
                .serve("/p/target.mp4", "video/mp4", clip).requireHeaders("/p/target.mp4", protectedBy)
                .redirect("/p/same-origin.mp4", sources.url("/p/target.mp4"))
                .redirect("/p/away.mp4", elsewhere.url("/open/away.mp4"))
                .serve("/b/basic.mp4", "video/mp4", clip)
                .requireHeaders("/b/basic.mp4", Map.of("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString("ingest:p@ss word+1".getBytes(StandardCharsets.UTF_8))));
        elsewhere.serve("/open/away.mp4", "video/mp4", clip);
        service = RunningService.start(dataDir.resolve("data"), RunningService.loopbackAllowed());
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        service.close();
        sources.close();
        elsewhere.close();
        receiver.close();
    }

    static String userData() {
        return "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"},\"Extend\":{\"k\":\"v\"}}";
    }

    static String withHeaders(String url, String headersJson) {
        return "[{\"SourceURL\":\"" + url + "\",\"Title\":\"t\",\"SourceHeaders\":" + headersJson + "}]";
    }

    static JsonNode submit(Map<String, String> parameters) throws Exception {
        ApiReply reply = service.post("UploadMediaByURL", parameters);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("UploadJobs").get(0);
    }

    @Test
    void aHeaderProtectedSourceSucceedsWithSourceHeadersAndTheSecretIsNowhereElse() throws Exception {
        String url = sources.url("/p/clip.mp4");
        String headers = "{\"Authorization\":\"" + SECRET + "\",\"X-Api-Key\":\"" + API_KEY + "\",\"User-Agent\":\"Mozilla/5.0 test\"}";
        JsonNode job = submit(Map.of("UploadURLs", RunningService.encode(url), "UserData", userData(),
                "MediaMetaData", withHeaders(url, headers)));
        JsonNode without = submit(Map.of("UploadURLs", RunningService.encode(url)));

        JsonNode info = service.awaitJobEnd(job.path("JobId").asText());
        assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
        assertThat(service.storedFile(job.path("MediaId").asText())).isEqualTo(clip);
        assertThat(service.awaitJobEnd(without.path("JobId").asText()).path("ErrorCode").asText()).isEqualTo("SourceForbidden");
        Received fetched = sources.received().stream().filter(r -> r.path().equals("/p/clip.mp4")
                && SECRET.equals(r.header("Authorization"))).findFirst().orElseThrow();
        assertThat(fetched.header("User-Agent")).isEqualTo("Mozilla/5.0 test");

        // nowhere else: replies, events, the database at rest, the log
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
        List<String> seen = new ArrayList<>();
        seen.add(service.call("GetUrlUploadInfos", Map.of("JobIds", job.path("JobId").asText())).body().toString());
        seen.add(service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(url))).body().toString());
        seen.add(service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).body().toString());
        seen.add(service.call("ListMediaBasicInfos", Map.of("IncludeFileBasicInfo", "true")).body().toString());
        seen.add(service.call("ListCallbackEvents", Map.of()).body().toString());
        receiver.received().forEach(r -> seen.add(r.bodyText()));
        logs.list.forEach(e -> seen.add(e.getFormattedMessage() + e.getMDCPropertyMap()
                + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())));
        assertThat(seen).noneMatch(text -> text.contains("tok-7f3a9c") || text.contains("d41d8cd9"));
        String sealed = service.bean("database", Database.class).queryOne("SELECT source_headers FROM upload_job "
                + "WHERE job_id = ?", rs -> rs.getString(1), job.path("JobId").asText()).orElseThrow();
        assertThat(sealed).startsWith("v1:").doesNotContain("tok-7f3a9c");
        try (Stream<Path> files = Files.walk(service.dataDir().resolve("db"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(bytes).as(file.toString()).doesNotContain("tok-7f3a9c").doesNotContain("d41d8cd9");
            }
        }
    }

    @Test
    void headersFollowARedirectWithinTheOriginAndAreDroppedWhenItLeavesIt() throws Exception {
        String same = sources.url("/p/same-origin.mp4");
        String away = sources.url("/p/away.mp4");
        String headers = "{\"Authorization\":\"" + SECRET + "\",\"X-Api-Key\":\"" + API_KEY + "\"}";

        JsonNode sameJob = submit(Map.of("UploadURLs", RunningService.encode(same), "MediaMetaData", withHeaders(same, headers)));
        JsonNode awayJob = submit(Map.of("UploadURLs", RunningService.encode(away), "MediaMetaData", withHeaders(away, headers)));

        assertThat(service.awaitJobEnd(sameJob.path("JobId").asText()).path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(service.awaitJobEnd(awayJob.path("JobId").asText()).path("Status").asText()).isEqualTo("SUCCESS");
        Received atTheOtherOrigin = elsewhere.received().stream().filter(r -> r.path().equals("/open/away.mp4"))
                .findFirst().orElseThrow();
        assertThat(atTheOtherOrigin.header("Authorization")).isNull();
        assertThat(atTheOtherOrigin.header("X-Api-Key")).isNull();
        assertThat(atTheOtherOrigin.header("User-Agent")).startsWith("media-url-ingest");
    }

    @Test
    void headersOutsideTheAllowedSetOrWithLineBreaksAreRefusedWithoutQuotingTheirValues() throws Exception {
        String url = sources.url("/p/refused-" + System.nanoTime() + ".mp4");
        List<String> refused = List.of(
                "{\"Host\":\"evil.example\"}",
                "{\"Content-Length\":\"1\"}",
                "{\"Transfer-Encoding\":\"chunked\"}",
                "{\"Proxy-Authorization\":\"Basic eA==\"}",
                "{\"X-Ok\":\"a\\r\\nInjected: tok-7f3a9c\"}",
                "{\"Cookie\":\"a\\nb-tok-7f3a9c\"}",
                "{\"X-Number\":5}",
                "{\"X Space\":\"v\"}",
                "[\"Authorization\"]");

        for (String headers : refused) {
            ApiReply reply = service.post("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url),
                    "MediaMetaData", withHeaders(url, headers)));
            assertThat(reply.status()).as(headers).isEqualTo(400);
            assertThat(reply.body().path("Code").asText()).as(headers).isEqualTo("InvalidParameter");
            assertThat(reply.body().path("Message").asText()).as(headers).contains("SourceHeaders").doesNotContain("tok-7f3a9c");
        }
        assertThat(service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(url))).body()
                .path("URLUploadInfoList")).as("nothing was submitted by the refused calls").isEmpty();
    }

    @Test
    void aUrlWithUserAndPasswordSendsBasicAuthAndIsKeptAndShownWithoutThem() throws Exception {
        String plain = sources.url("/b/basic.mp4");
        String withCredentials = plain.replace("http://", "http://ingest:p%40ss%20word+1@");

        JsonNode job = submit(Map.of("UploadURLs", RunningService.encode(withCredentials), "UserData", userData()));

        assertThat(job.path("SourceURL").asText()).isEqualTo(plain);
        JsonNode info = service.awaitJobEnd(job.path("JobId").asText());
        assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
        assertThat(info.path("UploadURL").asText()).isEqualTo(plain);
        assertThat(info.toString()).doesNotContain("p%40ss").doesNotContain("ingest:");
        assertThat(service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(withCredentials))).body()
                .path("URLUploadInfoList")).extracting(i -> i.path("JobId").asText()).contains(job.path("JobId").asText());
    }

    @Test
    void spacesCommasAndNonAsciiInFileNamesReachTheSourceAsTheFilesOwnNames() throws Exception {
        byte[] spaced = Fixtures.mp4OfSize(300_000, 21);
        byte[] comma = Fixtures.mp4OfSize(300_000, 22);
        byte[] accented = Fixtures.mp4OfSize(300_000, 23);
        sources.serve("/n/sp ace.mp4", "video/mp4", spaced).serve("/n/a,b.mp4", "video/mp4", comma)
                .serve("/n/café 1.mp4", "video/mp4", accented);
        String base = sources.url("/n/");
        Map<String, byte[]> expected = new HashMap<>();
        expected.put(base + "sp%20ace.mp4", spaced);  // encoded by its owner
        expected.put(base + "sp ace.mp4", spaced);    // a raw space
        expected.put(base + "a%2Cb.mp4", comma);      // an encoded comma in the name
        expected.put(base + "café 1.mp4", accented);  // non-ASCII and a space

        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            JsonNode job = submit(Map.of("UploadURLs", RunningService.encode(e.getKey())));
            assertThat(job.path("SourceURL").asText()).as("echoed as given").isEqualTo(e.getKey());
            JsonNode info = service.awaitJobEnd(job.path("JobId").asText());
            assertThat(info.path("Status").asText()).as(e.getKey() + " " + info).isEqualTo("SUCCESS");
            assertThat(service.storedFile(job.path("MediaId").asText())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void aRepeatedClientTokenCreatesNothingAndOtherParametersAreAMismatch() throws Exception {
        String url = sources.url("/b/token-" + System.nanoTime() + ".mp4");
        sources.serve(url.substring(url.indexOf("/b/")), "video/mp4", clip);
        Map<String, String> call = Map.of("UploadURLs", RunningService.encode(url), "ClientToken", "retry-safe-1",
                "UserData", userData());

        ApiReply first = service.post("UploadMediaByURL", call);
        ApiReply again = service.post("UploadMediaByURL", call);
        ApiReply mismatch = service.post("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url),
                "ClientToken", "retry-safe-1"));
        ApiReply otherApp = service.post("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url),
                "ClientToken", "retry-safe-1", "UserData", userData(), "AppId", "app-other"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("UploadJobs")).isEqualTo(first.body().path("UploadJobs"));
        assertThat(again.body().path("RequestId").asText()).isNotEqualTo(first.body().path("RequestId").asText());
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body().path("Code").asText()).isEqualTo("IdempotentParameterMismatch");
        assertThat(otherApp.status()).as("tokens are per AppId").isEqualTo(200);
        String firstJob = first.body().path("UploadJobs").get(0).path("JobId").asText();
        assertThat(otherApp.body().path("UploadJobs").get(0).path("JobId").asText()).isNotEqualTo(firstJob);
        assertThat(service.awaitJobEnd(firstJob).path("Status").asText()).isEqualTo("SUCCESS");
        JsonNode jobsOfUrl = service.call("GetUrlUploadInfos", Map.of("UploadURLs", RunningService.encode(url))).body()
                .path("URLUploadInfoList");
        assertThat(jobsOfUrl).as("one job from the token's calls, one from the other AppId's").hasSize(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().stream()
                .filter(r -> r.bodyText().contains(firstJob)).count() == 1);
        assertThat(service.post("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url),
                "ClientToken", "tab\there")).body().path("Code").asText()).isEqualTo("InvalidParameter");
    }
}
