package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.FaultySource;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources that fail, cut, stall and refuse; the retry policy and the resume, end to end. */
class FaultToleranceTest {

    @TempDir
    static Path dataDir;
    static RunningService service;
    static byte[] media;

    @BeforeAll
    static void start() throws Exception {
        media = Fixtures.mp4OfSize(3 << 20, 11);
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.fetch.retry-delay", "200ms");
        settings.put("ingest.fetch.max-attempts", "3");
        settings.put("ingest.fetch.read-timeout", "1s");
        service = RunningService.start(dataDir, settings);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String submit(String url) throws Exception {
        return service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url)))
                .body().path("UploadJobs").get(0).path("JobId").asText();
    }

    private static JsonNode awaitEnd(String jobId) {
        return service.awaitJobEnd(jobId);
    }

    private static String storedSha256(JsonNode info) throws Exception {
        JsonNode file = service.call("GetMediaInfo", Map.of("MediaId", info.path("MediaId").asText())).body()
                .path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
        return Fixtures.sha256(service.download(file.path("FileUrl").asText()));
    }

    @Test
    void aConnectionCutTwiceIsResumedWithRangeAndTheBytesAreIdentical() throws Exception {
        try (FaultySource source = new FaultySource(media).cutFirst(2, 1 << 20)) {
            JsonNode info = awaitEnd(submit(source.url("/cut.mp4")));

            assertThat(info.path("Status").asText()).isEqualTo("SUCCESS");
            assertThat(storedSha256(info)).isEqualTo(Fixtures.sha256(media));
            assertThat(source.ranges()).containsExactly("", "bytes=1048576-", "bytes=2097152-");
        }
    }

    @Test
    void withoutRangesACutDownloadStartsOverAndStillEndsIdentical() throws Exception {
        try (FaultySource source = new FaultySource(media).withoutRanges().cutFirst(1, 1 << 20)) {
            JsonNode info = awaitEnd(submit(source.url("/norange.mp4")));

            assertThat(info.path("Status").asText()).isEqualTo("SUCCESS");
            assertThat(storedSha256(info)).isEqualTo(Fixtures.sha256(media));
            assertThat(source.ranges()).containsExactly("", "");
        }
    }

    @Test
    void a503IsRetriedThenSucceeds() throws Exception {
        try (FaultySource source = new FaultySource(media).failFirst(2, 503, "0")) {
            JsonNode info = awaitEnd(submit(source.url("/busy.mp4")));

            assertThat(info.path("Status").asText()).isEqualTo("SUCCESS");
            assertThat(source.requestCount()).isEqualTo(3);
        }
    }

    @Test
    void a503ThatStaysIsRetriedUpToTheLimitThenFailsWithACode() throws Exception {
        try (FaultySource source = new FaultySource(media).failFirst(100, 503, null)) {
            JsonNode info = awaitEnd(submit(source.url("/down.mp4")));

            assertThat(info.path("Status").asText()).isEqualTo("FAIL");
            assertThat(info.path("ErrorCode").asText()).isEqualTo("SourceUnavailable");
            assertThat(info.path("ErrorMessage").asText()).contains("503");
            assertThat(source.requestCount()).isEqualTo(3); // ingest.fetch.max-attempts
        }
    }

    @Test
    void a404FailsAtOnceWithoutRetry() throws Exception {
        try (FaultySource source = new FaultySource(media).failFirst(100, 404, null)) {
            JsonNode info = awaitEnd(submit(source.url("/missing.mp4")));

            assertThat(info.path("ErrorCode").asText()).isEqualTo("SourceNotFound");
            assertThat(source.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void aStalledBodyTimesOutAndIsResumedOnTheNextAttempt() throws Exception {
        try (FaultySource source = new FaultySource(media).stall(1500).cutFirst(1, 3 << 20)) {
            // every body stalls 1.5 s after 64 KiB, longer than the 1 s read timeout: each attempt
            // gets a little further through Range, until the attempts are spent
            JsonNode info = awaitEnd(submit(source.url("/stall.mp4")));

            assertThat(info.path("Status").asText()).isEqualTo("FAIL");
            assertThat(info.path("ErrorCode").asText()).isEqualTo("DownloadTimeout");
            assertThat(source.ranges().get(1)).startsWith("bytes=");
        }
    }

    @Test
    void aWrongAnnouncedMd5FailsWithChecksumMismatchAndLeavesNoMedia() throws Exception {
        try (FaultySource source = new FaultySource(media)) {
            String url = source.url("/md5.mp4");
            String meta = "[{\"SourceURL\":\"" + url + "\",\"Title\":\"t\",\"Md5\":\"00000000000000000000000000000000\"}]";
            JsonNode job = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(url),
                    "MediaMetaData", meta)).body().path("UploadJobs").get(0);
            JsonNode info = awaitEnd(job.path("JobId").asText());

            assertThat(info.path("ErrorCode").asText()).isEqualTo("ChecksumMismatch");
            assertThat(service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).status()).isEqualTo(404);
        }
    }
}
