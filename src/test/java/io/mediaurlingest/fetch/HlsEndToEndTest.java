package io.mediaurlingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.HlsFixture;
import io.mediaurlingest.support.HlsFixture.Streams;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import io.mediaurlingest.support.RunningService.ApiReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HLS VOD sources (.m3u8) made with FFmpeg's hls muxer: the playlist and every segment are
 * fetched through the guarded downloader and remuxed into one MP4 that is the media, plain,
 * AES-128, behind a header, and from a master playlist with separate audio. A live playlist and
 * a playlist under another name fail clearly.
 */
class HlsEndToEndTest {

    static final int COPIES = 6;
    /** The presentations' duration, as the fixture made them. */
    static double duration;
    static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path work;
    static LoopbackHttpServer sources;
    static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        sources = new LoopbackHttpServer();
        duration = HlsFixture.write(work.resolve("plain"), "index", COPIES, Streams.BOTH, null, null);
        HlsFixture.write(work.resolve("aes"), "index", COPIES, Streams.BOTH, KEY, sources.url("/hls/aes/index.key"));
        HlsFixture.write(work.resolve("split"), "video", COPIES, Streams.VIDEO, null, null);
        HlsFixture.write(work.resolve("split"), "audio", COPIES, Streams.AUDIO, null, null);
        Files.writeString(work.resolve("split").resolve("master.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English",DEFAULT=YES,AUTOSELECT=YES,URI="audio.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=150000,AUDIO="aud"
                low/never-fetched.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=2500000,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"
                video.m3u8
                """);
        for (String dir : List.of("plain", "aes", "split")) {
            HlsFixture.serve(sources, "/hls/" + dir + "/", work.resolve(dir));
        }
        // the whole protected presentation wants the header: playlist and segments alike
        HlsFixture.serve(sources, "/private/", work.resolve("plain"));
        try (var files = Files.list(work.resolve("plain"))) {
            files.forEach(f -> sources.requireHeaders("/private/" + f.getFileName(), Map.of("Authorization", "Bearer hls-secret")));
        }
        sources.serve("/live/index.m3u8", "application/vnd.apple.mpegurl", """
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:1042
                #EXTINF:2.0,
                seg1042.ts
                #EXTINF:2.0,
                seg1043.ts
                """.getBytes(StandardCharsets.UTF_8));
        sources.serve("/disguised/index.mp4", "video/mp4", Files.readAllBytes(work.resolve("plain").resolve("index.m3u8")));
        Map<String, String> settings = new java.util.HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.fetch.retry-delay", "200ms"); // the failed segment's retry, without the default 10 s
        service = RunningService.start(work.resolve("data"), settings);
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
    }

    static JsonNode ingest(String path, Map<String, String> more) throws Exception {
        String url = sources.url(path);
        Map<String, String> parameters = new java.util.HashMap<>(more);
        parameters.put("UploadURLs", RunningService.encode(url));
        ApiReply reply = service.post("UploadMediaByURL", parameters);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body().path("UploadJobs").get(0);
    }

    /** The stored media of a successful job: its MP4 bytes and GetMediaInfo's file figures. */
    static JsonNode assertOneMp4(JsonNode job, boolean video, boolean audio) throws Exception {
        JsonNode info = service.awaitJobEnd(job.path("JobId").asText());
        assertThat(info.path("Status").asText()).as(info.toString()).isEqualTo("SUCCESS");
        byte[] stored = service.storedFile(job.path("MediaId").asText());
        assertThat(new String(Arrays.copyOfRange(stored, 4, 8), StandardCharsets.US_ASCII)).isEqualTo("ftyp");
        String boxes = new String(stored, StandardCharsets.ISO_8859_1);
        assertThat(boxes.indexOf("moov")).as("the index first (faststart): it plays while it downloads")
                .isPositive().isLessThan(boxes.indexOf("mdat"));
        assertThat(Long.parseLong(info.path("FileSize").asText())).isEqualTo(stored.length);
        JsonNode file = service.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText())).body()
                .path("MediaInfo").path("FileInfoList").get(0);
        JsonNode basic = file.path("FileBasicInfo");
        assertThat(basic.path("FileName").asText()).endsWith(".mp4");
        assertThat(Double.parseDouble(basic.path("Duration").asText())).as(basic.toString()).isCloseTo(duration,
                org.assertj.core.data.Offset.offset(1.0));
        assertThat(file.path("VideoStreamInfoList").size()).isEqualTo(video ? 1 : 0);
        assertThat(file.path("AudioStreamInfoList").size()).isEqualTo(audio ? 1 : 0);
        if (video) {
            assertThat(file.path("VideoStreamInfoList").get(0).path("CodecName").asText()).isEqualTo("h264");
        }
        if (audio) {
            assertThat(file.path("AudioStreamInfoList").get(0).path("CodecName").asText()).isEqualTo("aac");
        }
        return basic;
    }

    @Test
    void anHlsVodBecomesOnePlayableMp4OfItsDuration() throws Exception {
        JsonNode job = ingest("/hls/plain/index.m3u8", Map.of());

        assertOneMp4(job, true, true);
        long segmentsFetched = sources.received().stream().filter(r -> r.path().matches("/hls/plain/index-\\d{3}\\.ts")).count();
        long segmentsListed = Files.readAllLines(work.resolve("plain").resolve("index.m3u8")).stream()
                .filter(l -> l.endsWith(".ts")).count();
        assertThat(segmentsListed).isGreaterThanOrEqualTo(COPIES - 1);
        assertThat(segmentsFetched).isEqualTo(segmentsListed);
    }

    @Test
    void aSegmentThatFailsOnceIsFetchedAgainAndTheSegmentsBeforeItAreNot() throws Exception {
        HlsFixture.serve(sources, "/resume/", work.resolve("plain"));
        sources.statuses("/resume/index-002.ts", 503);

        assertOneMp4(ingest("/resume/index.m3u8", Map.of()), true, true);

        Map<String, Long> fetches = sources.received().stream().filter(r -> r.path().matches("/resume/index-\\d{3}\\.ts"))
                .collect(java.util.stream.Collectors.groupingBy(LoopbackHttpServer.Received::path,
                        java.util.stream.Collectors.counting()));
        assertThat(fetches.get("/resume/index-002.ts")).as("the 503, then the retry").isEqualTo(2);
        fetches.remove("/resume/index-002.ts");
        assertThat(fetches).isNotEmpty().allSatisfy((path, count) -> assertThat(count).as(path).isEqualTo(1));
        assertThat(fetches).containsKeys("/resume/index-000.ts", "/resume/index-001.ts", "/resume/index-003.ts");
    }

    @Test
    void aes128SegmentsAreDecryptedWithTheKeyFetchedThroughTheGuard() throws Exception {
        assertThat(Files.readString(work.resolve("aes").resolve("index.m3u8"))).contains("#EXT-X-KEY:METHOD=AES-128");

        assertOneMp4(ingest("/hls/aes/index.m3u8", Map.of()), true, true);
        assertThat(sources.received()).anyMatch(r -> r.path().equals("/hls/aes/index.key"));
    }

    @Test
    void aMasterPlaylistGivesItsHighestVariantWithItsSeparateAudio() throws Exception {
        assertOneMp4(ingest("/hls/split/master.m3u8", Map.of()), true, true);

        assertThat(sources.received()).noneMatch(r -> r.path().contains("never-fetched"));
        assertThat(sources.received()).anyMatch(r -> r.path().equals("/hls/split/audio.m3u8"));
    }

    @Test
    void sourceHeadersReachThePlaylistAndEverySegmentOfTheirOrigin() throws Exception {
        String url = sources.url("/private/index.m3u8");
        JsonNode without = ingest("/private/index.m3u8", Map.of());
        JsonNode with = ingest("/private/index.m3u8", Map.of("MediaMetaData", "[{\"SourceURL\":\"" + url
                + "\",\"Title\":\"private\",\"SourceHeaders\":{\"Authorization\":\"Bearer hls-secret\"}}]"));

        assertThat(service.awaitJobEnd(without.path("JobId").asText()).path("ErrorCode").asText()).isEqualTo("SourceForbidden");
        assertOneMp4(with, true, true);
    }

    @Test
    void aLivePlaylistFailsAtOnceAndSaysWhy() throws Exception {
        JsonNode info = service.awaitJobEnd(ingest("/live/index.m3u8", Map.of()).path("JobId").asText());

        assertThat(info.path("Status").asText()).isEqualTo("FAIL");
        assertThat(info.path("ErrorCode").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(info.path("ErrorMessage").asText()).contains("live").contains("EXT-X-ENDLIST");
        assertThat(sources.received()).noneMatch(r -> r.path().startsWith("/live/seg"));
    }

    @Test
    void aPlaylistUnderAnotherNameIsNotStoredAsMedia() throws Exception {
        JsonNode info = service.awaitJobEnd(ingest("/disguised/index.mp4", Map.of()).path("JobId").asText());

        assertThat(info.path("Status").asText()).isEqualTo("FAIL");
        assertThat(info.path("ErrorCode").asText()).isEqualTo("UnsupportedMediaType");
        assertThat(info.path("ErrorMessage").asText()).contains("HLS playlist");
    }
}
