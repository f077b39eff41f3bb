package io.mediaurlingest.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every run of a media tool is bounded in time and reads its one local file only. The real
 * ffprobe and ffmpeg are used where the rule is theirs to keep (.ci/run installs them).
 */
class MediaToolTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path program = dir.resolve(name);
        Files.writeString(program, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        return program;
    }

    private Path file(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void aToolThatNeverEndsIsKilledAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("pid");
        MediaTool hanging = new MediaTool(script("ffmpeg", "echo $$ > " + pidFile + "\nexec sleep 600").toString(),
                Duration.ofSeconds(1));

        long start = System.nanoTime();
        MediaTool.Result result = hanging.run(List.of(), file("a.mp4", new byte[10]), List.of());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.succeeded()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aToolThatWritesWithoutEndCannotBlockOrFillMemory() throws Exception {
        MediaTool chatty = new MediaTool(script("ffprobe", "exec yes media").toString(), Duration.ofSeconds(1));

        MediaTool.Result result = chatty.run(List.of(), file("a.mp4", new byte[10]), List.of());

        assertThat(result.timedOut()).isTrue();
        assertThat(result.stdout().length).isEqualTo(4 << 20);
    }

    @Test
    void theToolIsGivenALocalFileWithTheWhitelistsNeverAUrl() throws Exception {
        Path args = dir.resolve("args");
        MediaTool recording = new MediaTool(script("ffprobe", "printf '%s\\n' \"$@\" > " + args).toString(),
                Duration.ofSeconds(10));

        assertThat(recording.run(List.of(), file("a.mp4", new byte[10]), List.of("-show_format")).succeeded()).isTrue();

        List<String> given = Files.readAllLines(args);
        assertThat(given).containsSubsequence("-protocol_whitelist", "file", "-format_whitelist", MediaTool.DEMUXERS,
                "-i", "file:" + dir.resolve("a.mp4").toAbsolutePath());
        assertThat(given).noneMatch(a -> a.contains("://"));
    }

    @Test
    void playlistsAndReferenceFormatsOpenNothingElse() throws Exception {
        String ffprobe = MediaProber.findOnPath("ffprobe");
        assertThat(ffprobe).as("ffprobe (Debian package ffmpeg) is installed").isNotNull();
        Path fixture = file("real.mp4", Fixtures.media("sample.mp4"));
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
            MediaTool probe = new MediaTool(ffprobe, Duration.ofSeconds(30));
            for (String[] hostile : new String[][] {{"list.m3u8", hls}, {"list.mp4", hls}, {"local.m3u8", localHls},
                    {"list.ffconcat", concat}, {"concat.mp4", concatRemote}, {"manifest.mpd", dash}, {"stream.sdp", sdp}}) {
                MediaTool.Result result = probe.run(List.of(), file(hostile[0], hostile[1].getBytes()),
                        List.of("-show_format"));
                assertThat(result.succeeded()).as(hostile[0]).isFalse();
            }
            assertThat(internal.requestCount()).isZero();
            assertThat(probe.run(List.of(), fixture, List.of("-show_format")).succeeded()).isTrue();
        }
    }
}
