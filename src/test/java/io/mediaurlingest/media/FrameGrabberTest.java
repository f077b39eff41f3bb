package io.mediaurlingest.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.imageio.ImageIO;

import io.mediaurlingest.support.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JPEG frame of every video fixture, made inside the JVM; audio and non-media are refused with a reason. */
class FrameGrabberTest {

    @TempDir
    Path dir;

    private final FrameGrabber grabber = new FrameGrabber(Duration.ofSeconds(30));

    @ParameterizedTest
    @CsvSource({"sample.mp4,64,48", "sample.mov,80,60", "sample.mkv,48,32", "sample.webm,64,48", "sample.ts,48,32"})
    void aFrameOfEveryVideoIsAJpegOfItsSize(String name, int width, int height) throws Exception {
        Path video = Files.write(dir.resolve(name), Fixtures.media(name));
        for (double at : new double[] {0.0, 0.5, 30.0}) { // 30 s: after the end, its last frame
            Path jpeg = dir.resolve(name + "-" + at + ".jpg");
            grabber.grab(video, at, jpeg);
            byte[] bytes = Files.readAllBytes(jpeg);
            assertThat(bytes[0] & 0xff).isEqualTo(0xFF);
            assertThat(bytes[1] & 0xff).isEqualTo(0xD8); // JPEG SOI
            BufferedImage image = ImageIO.read(jpeg.toFile());
            assertThat(image.getWidth()).as(name).isEqualTo(width);
            assertThat(image.getHeight()).as(name).isEqualTo(height);
        }
    }

    @Test
    void audioAndNonMediaAreRefusedWithAReason() throws Exception {
        Path audio = Files.write(dir.resolve("sample.mp3"), Fixtures.media("sample.mp3"));
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        Path playlist = Files.writeString(dir.resolve("list.m3u8"), "#EXTM3U\n#EXTINF:1.0,\nhttp://127.0.0.3:9/seg.ts\n#EXT-X-ENDLIST\n");

        assertThatThrownBy(() -> grabber.grab(audio, 0.1, dir.resolve("a.jpg"))).isInstanceOf(IOException.class)
                .hasMessageContaining("no video");
        assertThatThrownBy(() -> grabber.grab(text, 0.1, dir.resolve("b.jpg"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> grabber.grab(playlist, 0.1, dir.resolve("c.jpg"))).isInstanceOf(IOException.class);
    }
}
