package io.mediaurlingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FFmpeg's libraries in the JVM give ffprobe's figures (recorded beside the fixtures in
 * media/ffprobe.json) for every fixture, and keep LocalMediaFile's rules: playlists and reference
 * formats open nothing, for the probe and for the frame grabber; a truncated or corrupt file is
 * refused, not crashed on.
 */
class InProcessProbeTest {

    static final List<String> FIXTURES = List.of("sample.mp4", "sample.mov", "sample.m4a", "sample.mkv", "sample.webm",
            "sample.ts", "sample.mp3", "sample.wav", "sample.flac");

    @TempDir
    Path dir;

    private final InProcessProbe probe = new InProcessProbe(Duration.ofSeconds(30));

    @Test
    void theLibrariesLoadOnThisPlatform() {
        assertThat(LocalMediaFile.librariesLoad()).isTrue();
    }

    @Test
    void everyFixtureHasFfprobesFigures() throws Exception {
        JsonNode expected = Json.read(new String(Fixtures.media("ffprobe.json")));
        for (String name : FIXTURES) {
            Path file = Files.write(dir.resolve(name), Fixtures.media(name));
            ProbeResult result = probe.probe(file).orElseThrow(() -> new AssertionError("no figures for " + name));
            JsonNode want = expected.path(name);
            assertThat(result.formatName()).as(name).isEqualTo(want.path("FormatName").asText());
            assertThat(Double.parseDouble(result.duration())).as(name).isCloseTo(want.path("Duration").asDouble(), within(0.1));
            assertThat(Long.parseLong(result.bitrate())).as(name).isPositive();
            assertThat(result.mediaType()).as(name).isEqualTo(want.path("MediaType").asText());
            if (want.path("Width").isNull()) {
                assertThat(result.videoStreams()).as(name).isEmpty();
                assertThat(result.audioStreams()).as(name).isNotEmpty();
                assertThat(result.audioStreams().get(0).codecName()).as(name).isNotBlank();
            } else {
                assertThat(Integer.parseInt(result.width())).as(name).isEqualTo(want.path("Width").asInt());
                assertThat(Integer.parseInt(result.height())).as(name).isEqualTo(want.path("Height").asInt());
                assertThat(result.videoStreams().get(0).codecName()).as(name).isNotBlank();
            }
        }
    }

    @Test
    void playlistsAndReferenceFormatsOpenNothingElse() throws Exception {
        Path fixture = Files.write(dir.resolve("real.mp4"), Fixtures.media("sample.mp4"));
        try (LoopbackHttpServer internal = new LoopbackHttpServer("127.0.0.3")
                .serve("/seg.ts", "video/mp2t", Fixtures.media("sample.ts"))) {
            String hls = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n" + internal.url("/seg.ts") + "\n#EXT-X-ENDLIST\n";
            String localHls = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n" + fixture + "\n#EXT-X-ENDLIST\n";
            String concat = "ffconcat version 1.0\nfile " + fixture + "\n";
            String concatRemote = "ffconcat version 1.0\nfile " + internal.url("/seg.ts") + "\n";
            String dash = "<?xml version=\"1.0\"?><MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" type=\"static\" "
                    + "mediaPresentationDuration=\"PT1S\"><Period><AdaptationSet><Representation id=\"1\" bandwidth=\"1\">"
                    + "<BaseURL>" + internal.url("/seg.ts") + "</BaseURL></Representation></AdaptationSet></Period></MPD>";
            String sdp = "v=0\no=- 0 0 IN IP4 127.0.0.3\ns=x\nc=IN IP4 127.0.0.3\nt=0 0\nm=video 5004 RTP/AVP 96\n";
            FrameGrabber grabber = new FrameGrabber(Duration.ofSeconds(30));
            for (String[] hostile : new String[][] {{"list.m3u8", hls}, {"list.mp4", hls}, {"local.m3u8", localHls},
                    {"list.ffconcat", concat}, {"concat.mp4", concatRemote}, {"manifest.mpd", dash}, {"stream.sdp", sdp}}) {
                Path file = Files.writeString(dir.resolve(hostile[0]), hostile[1]);
                assertThat(probe.probe(file)).as(hostile[0]).isEmpty();
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> grabber.grab(file, 0.5, dir.resolve("f.jpg")))
                        .as(hostile[0]).isInstanceOf(java.io.IOException.class);
            }
            assertThat(internal.requestCount()).isZero();
        }
    }

    @Test
    void truncatedAndCorruptFilesAreRefusedNotCrashedOn() throws Exception {
        byte[] mp4 = Fixtures.media("sample.mp4");
        byte[] corrupt = mp4.clone();
        for (int i = 64; i < corrupt.length; i += 7) {
            corrupt[i] ^= (byte) 0x5a;
        }
        Path truncated = Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(mp4, 200));
        Path scrambled = Files.write(dir.resolve("corrupt.mp4"), corrupt);
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);

        assertThat(probe.probe(truncated)).isEmpty();
        probe.probe(scrambled); // figures or none: the JVM is still here
        assertThat(probe.probe(empty)).isEmpty();
        assertThat(probe.probe(dir.resolve("missing.mp4"))).isEmpty();
        assertThat(probe.probe(Files.write(dir.resolve("again.mp4"), mp4))).isPresent();
    }
}
