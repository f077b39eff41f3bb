package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The address guard on (defaults, plus 127.0.0.2 exempted as an "internal CDN"): no loopback
 * notation reaches the loopback server, a redirect from the exempted host into 127.0.0.1 is
 * refused, and bodies that are not media or too large fail with their codes, leaving nothing.
 */
class HostileInputEndToEndTest {

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer victim;
    static LoopbackHttpServer cdn;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
        byte[] noise = new byte[200_000];
        new Random(3).nextBytes(noise);
        byte[] big = new byte[3 << 20];
        System.arraycopy(Fixtures.media("sample.mp4"), 0, big, 0, Fixtures.media("sample.mp4").length);
        victim = new LoopbackHttpServer().serve("/secret.mp4", "video/mp4", Fixtures.media("sample.mp4"));
        cdn = new LoopbackHttpServer("127.0.0.2")
                .serve("/ok.mp4", "video/mp4", Fixtures.media("sample.mp4"))
                .redirect("/hop.mp4", victim.url("/secret.mp4"))
                .serve("/login.mp4", "text/html", "<html><body><form>Sign in</form></body></html>".getBytes())
                .serve("/picture.mp4", "video/mp4", png)
                .serve("/noise.mp4", "video/mp4", noise)
                .serve("/noise.ts", "video/mp2t", noise) // a raw-stream extension: no magic to check, FFmpeg's demuxer decides
                .serve("/big.mp4", "video/mp4", big)
                .serveChunked("/big-unannounced.mp4", "video/mp4", big);
        service = RunningService.start(dataDir, Map.of(
                "ingest.fetch.allowed-networks", "127.0.0.2/32",
                "ingest.fetch.max-file-size", "2MB"));
    }

    @AfterAll
    static void stop() {
        service.close();
        victim.close();
        cdn.close();
    }

    private static JsonNode ingest(String url) throws Exception {
        ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        String jobId = reply.body().path("UploadJobs").get(0).path("JobId").asText();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0);
            return List.of("SUCCESS", "FAIL").contains(last[0].path("Status").asText());
        });
        return last[0];
    }

    private static int storedObjects() {
        StorageLocation store = service.bean("storageLocations", StorageLocations.class).defaultLocation();
        return store.s3().listObjectsV2(b -> b.bucket(store.bucket()).prefix("media/")).contents().size();
    }

    @Test
    void noNotationOfLoopbackReachesTheLoopbackServer() throws Exception {
        int port = victim.port();
        int refusedAtSubmit = 0;
        for (String host : List.of("127.0.0.1", "localhost", "2130706433", "0x7f000001", "017700000001", "127.1",
                "0177.0.0.1", "0.0.0.0", "[::1]", "[::ffff:127.0.0.1]", "127.000.000.001")) {
            String url = "http://" + host + ":" + port + "/secret.mp4";
            ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)));
            if (reply.status() == 400) {
                refusedAtSubmit++; // a host java.net.URI cannot even parse (127.1) never becomes a job
                continue;
            }
            JsonNode info = ingest(url);
            assertThat(info.path("Status").asText()).as(host).isEqualTo("FAIL");
            assertThat(info.path("ErrorCode").asText()).as(host).isEqualTo("AddressNotAllowed");
        }
        assertThat(refusedAtSubmit).isLessThanOrEqualTo(2);
        assertThat(victim.requestCount()).isZero();
    }

    @Test
    void anExemptedHostWorksButItsRedirectIntoLoopbackIsRefused() throws Exception {
        assertThat(ingest(cdn.url("/ok.mp4")).path("Status").asText()).isEqualTo("SUCCESS");

        JsonNode hop = ingest(cdn.url("/hop.mp4"));

        assertThat(hop.path("ErrorCode").asText()).isEqualTo("AddressNotAllowed");
        assertThat(victim.requestCount()).isZero();
        assertThat(cdn.received()).extracting(LoopbackHttpServer.Received::path).contains("/hop.mp4");
    }

    @Test
    void htmlImagesAndNoiseAreNotMediaAndLeaveNothing() throws Exception {
        int before = storedObjects();
        for (String path : List.of("/login.mp4", "/picture.mp4", "/noise.mp4", "/noise.ts")) {
            JsonNode info = ingest(cdn.url(path));
            assertThat(info.path("ErrorCode").asText()).as(path).isEqualTo("UnsupportedMediaType");
        }
        assertThat(storedObjects()).isEqualTo(before);
    }

    @Test
    void filesOverTheLimitFailWhetherAnnouncedOrNot() throws Exception {
        int before = storedObjects();
        JsonNode announced = ingest(cdn.url("/big.mp4"));
        assertThat(announced.path("ErrorCode").asText()).isEqualTo("FileTooLarge");
        assertThat(announced.path("ErrorMessage").asText()).contains(String.valueOf(3 << 20));

        JsonNode lying = ingest(cdn.url("/big-unannounced.mp4"));
        assertThat(lying.path("ErrorCode").asText()).isEqualTo("FileTooLarge");
        assertThat(storedObjects()).isEqualTo(before);
        assertThat(dataDir.resolve("tmp").toFile().list()).isEmpty();
    }

    @Test
    void aCallbackUrlTheGuardWouldRefuseIsRefusedAtSubmit() throws Exception {
        for (String callback : List.of("http://127.0.0.1:9/x", "http://169.254.169.254/latest", "http://[::1]/x",
                "http://0x7f000001/x", "http://10.0.0.8/hook")) {
            ApiReply reply = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(cdn.url("/ok.mp4")),
                    "UserData", "{\"MessageCallback\":{\"CallbackURL\":\"" + callback + "\"}}"));
            assertThat(reply.status()).as(callback).isEqualTo(400);
            assertThat(reply.body().path("Message").asText()).contains("CallbackURL");
        }
    }
}
