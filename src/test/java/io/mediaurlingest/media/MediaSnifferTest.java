package io.mediaurlingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.support.Fixtures;
import org.apache.tika.Tika;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sniff names every media fixture as Tika's magic does (a raw MPEG-TS, which has none Tika
 * knows, by its extension once FFmpeg finds its streams, also in its first bytes alone);
 * whatever is not media is refused, in several forms and under media names, the magic-less
 * ones included; a playlist is refused as one.
 */
class MediaSnifferTest {

    @TempDir
    Path dir;

    private final MediaSniffer sniffer = new MediaSniffer(new InProcessProbe(java.time.Duration.ofSeconds(30)));

    @Test
    void mediaAreNamedAsTikasMagicNamesThem() throws Exception {
        Tika tika = new Tika();
        for (String fixture : InProcessProbeTest.FIXTURES) {
            Path file = write(fixture, Fixtures.media(fixture));
            String extension = fixture.substring(fixture.indexOf('.') + 1);
            String expected = fixture.endsWith(".ts") ? MediaFormats.contentType("ts") // no magic Tika knows
                    : tika.detect(Files.readAllBytes(file));
            assertThat(sniffer.sniff(file, extension)).as(fixture).isEqualTo(expected).isNotEqualTo("application/octet-stream");
        }
    }

    @Test
    void whatIsNotMediaIsRefusedUnderAMediaName() throws Exception {
        byte[] noise = new byte[70_000];
        new Random(7).nextBytes(noise);
        byte[][] forms = {
                "<!DOCTYPE html><html><body>Please log in</body></html>".getBytes(StandardCharsets.US_ASCII),
                "<html><body><form>Sign in</form></body></html>".getBytes(StandardCharsets.US_ASCII),
                bytes(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'),
                bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0),
                "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n".getBytes(StandardCharsets.ISO_8859_1),
                bytes('P', 'K', 3, 4, 20, 0, 0, 0, 8, 0),
                "Service Unavailable: try again later\n".getBytes(StandardCharsets.US_ASCII),
                noise };
        for (int i = 0; i < forms.length; i++) {
            // ts and aac: extensions of raw streams, which carry no magic Tika knows
            for (String extension : new String[] { "mp4", "mp3", "ts", "aac" }) {
                Path file = write("form" + i + "." + extension, forms[i]);
                assertThatThrownBy(() -> sniffer.sniff(file, extension)).as("form %d as .%s", i, extension)
                        .isInstanceOfSatisfying(JobFailure.class,
                                f -> assertThat(f.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE))
                        .hasMessageMatching("(?s).*(not audio or video|not \\." + extension + " media).*");
            }
        }
    }

    @Test
    void aRawStreamIsTakenByItsExtensionWhenFfmpegFindsItsStreamsInItsFirstBytes() throws Exception {
        byte[] ts = Fixtures.media("sample.ts");
        Path start = write("start.ts", java.util.Arrays.copyOf(ts, 188 * 20)); // as a large file's early check sees it
        assertThat(sniffer.sniff(start, "ts")).isEqualTo(MediaFormats.contentType("ts"));
        // without FFmpeg's libraries the extension is trusted, as it was
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        assertThat(new MediaSniffer(null).sniff(write("noise.ts", noise), "ts")).isEqualTo(MediaFormats.contentType("ts"));
    }

    @Test
    void ffmpegsLookAtAWholeMagiclessFileIsTheJobsProbeAndTheProbeStepDoesNotOpenItAgain() throws Exception {
        MediaProber prober = new MediaProber(new InProcessProbe(java.time.Duration.ofSeconds(30)));
        Path ts = write("whole.ts", Fixtures.media("sample.ts"));
        IngestWork work = workOn(ts, "ts");
        sniffer.verify(work);
        assertThat(work.contentType()).isEqualTo(MediaFormats.contentType("ts"));
        assertThat(work.probe()).isNotNull();
        assertThat(work.probe().formatName()).isEqualTo("mpegts");
        // other bytes under the same name: a second look would see an MP4, the job keeps the first one's figures
        Files.write(ts, Fixtures.media("sample.mp4"));
        prober.probe(work);
        assertThat(work.probe().formatName()).isEqualTo("mpegts");

        // a file Tika's magic names takes no FFmpeg look to sniff: the probe step probes it
        IngestWork mp4 = workOn(write("whole.mp4", Fixtures.media("sample.mp4")), "mp4");
        sniffer.verify(mp4);
        assertThat(mp4.probe()).isNull();
        prober.probe(mp4);
        assertThat(mp4.probe().formatName()).startsWith("mov,mp4");
    }

    private static IngestWork workOn(Path file, String extension) throws Exception {
        UploadJob job = new UploadJob("job-1", "media-1", "http://127.0.0.1/whole." + extension, JobStatus.PROCESSING, "app",
                null, null, null, extension, null, null, null, 0, 1, null, null, null, null, null, ApiFamily.ICE, null, null,
                null, null);
        IngestWork work = new IngestWork(job, java.time.Duration.ofMinutes(1), null);
        work.downloaded(file, Files.size(file), null, null);
        return work;
    }

    @Test
    void aPlaylistIsRefusedAsAPlaylist() throws Exception {
        Path file = write("index.mp4", "#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:4.0,\nseg0.ts\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> sniffer.sniff(file, "mp4")).hasMessageContaining("HLS playlist");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
