package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.EndlessSource;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source cannot hold a worker: a body past the size cap, a download past its deadline and a
 * source below the minimum rate each end FAIL within seconds of the limit while the source is
 * still sending, because the connection is cut off rather than read to its end. Redirects are
 * followed only to http and https.
 */
class FetchLimitsTest {

    /** Redirect targets in other schemes: none may be followed (nothing listens on those ports anyway). */
    static final List<String> REDIRECT_TARGETS = List.of("file:///etc/passwd", "ftp://127.0.0.1:21/a.mp4",
            "gopher://127.0.0.1:70/_x", "jar:file:///tmp/x.jar!/a.mp4", "data:video/mp4;base64,AAAA",
            "dict://127.0.0.1:11211/stat", "ldap://127.0.0.1/x", "FILE:///etc/hostname");

    @TempDir
    static Path dataDir;
    static EndlessSource endless;
    static LoopbackHttpServer redirects;
    static RunningService deadlineService;
    static RunningService rateService;

    @BeforeAll
    static void start() throws Exception {
        endless = new EndlessSource(Fixtures.media("sample.mp4"));
        redirects = new LoopbackHttpServer();
        for (String target : REDIRECT_TARGETS) {
            redirects.redirect(pathTo(target), target);
        }
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.fetch.max-file-size", "2GB");
        settings.put("ingest.fetch.max-attempts", "1");
        settings.put("ingest.fetch.deadline", "3s");
        settings.put("ingest.fetch.min-rate", "0");
        deadlineService = RunningService.start(dataDir.resolve("deadline"), settings);
        settings.put("ingest.fetch.deadline", "1h");
        settings.put("ingest.fetch.max-file-size", "2MB");
        settings.put("ingest.fetch.min-rate", "1KB");
        settings.put("ingest.fetch.min-rate-window", "3s");
        rateService = RunningService.start(dataDir.resolve("rate"), settings);
    }

    @AfterAll
    static void stop() throws Exception {
        deadlineService.close();
        rateService.close();
        endless.close();
        redirects.close();
    }

    private static String pathTo(String target) {
        return "/redirect-" + Integer.toHexString(target.hashCode()) + ".mp4";
    }

    private static String submit(RunningService service, String url) throws Exception {
        RunningService.ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("UploadJobs").get(0).path("JobId").asText();
    }

    /** How a job on the endless source ended, and how long after its submit the source saw the connection cut. */
    private record Ended(JsonNode info, Duration cutOffAfter) {
    }

    /** Submits the path, waits for the source to see its connection cut off and for the job to end FAIL with the code. */
    private static Ended failsWith(RunningService service, String path, String errorCode) throws Exception {
        int before = endless.cutOffs().size();
        long submitted = System.nanoTime();
        String jobId = submit(service, endless.url(path));
        await().atMost(Duration.ofSeconds(20)).until(() -> endless.cutOffs().size() > before);
        Duration cut = Duration.ofNanos(endless.cutOffs().get(before) - submitted);
        JsonNode info = service.awaitJobEnd(jobId);
        assertThat(info.path("Status").asText()).isEqualTo("FAIL");
        assertThat(info.path("ErrorCode").asText()).isEqualTo(errorCode);
        return new Ended(info, cut);
    }

    @Test
    void anEndlessBodyPastTheCapIsCutOffNotDrained() throws Exception {
        Ended ended = failsWith(rateService, "/endless.mp4", "FileTooLarge");

        assertThat(ended.cutOffAfter()).isLessThan(Duration.ofSeconds(10));
        assertThat(dataDir.resolve("rate/tmp").toFile().list()).isEmpty();
    }

    @Test
    void aTrickleIsCutOffAtTheDeadline() throws Exception {
        Ended ended = failsWith(deadlineService, "/trickle.mp4", "DownloadTimeout");

        assertThat(ended.info().path("ErrorMessage").asText()).contains("did not finish within 3 s");
        assertThat(ended.cutOffAfter()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
    }

    @Test
    void aTrickleBelowTheMinimumRateIsCutOff() throws Exception {
        Ended ended = failsWith(rateService, "/trickle-chunked.mp4", "DownloadTimeout");

        assertThat(ended.info().path("ErrorMessage").asText()).contains("less than the minimum rate of 1024 bytes/s");
        assertThat(ended.cutOffAfter()).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(9));
    }

    @Test
    void redirectsAreFollowedOnlyToHttpAndHttps() throws Exception {
        for (String target : REDIRECT_TARGETS) {
            JsonNode info = deadlineService.awaitJobEnd(submit(deadlineService, redirects.url(pathTo(target))));
            assertThat(info.path("Status").asText()).as(target).isEqualTo("FAIL");
            assertThat(info.path("ErrorCode").asText()).as(target).isEqualTo("AddressNotAllowed");
            assertThat(info.path("ErrorMessage").asText()).as(target).contains("only http and https are followed");
        }
    }
}
