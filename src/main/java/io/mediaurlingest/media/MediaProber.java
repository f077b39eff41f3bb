package io.mediaurlingest.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.mediaurlingest.job.IngestWork;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Probes a downloaded file before it is stored: with FFmpeg's libraries inside the JVM
 * (InProcessProbe) where they load, else with Apache Tika's audio/video parsers in pure Java,
 * whose figures are kept only for the MP4 family (where they match FFmpeg's). Probing never
 * fails a job: a file it cannot read is stored without figures.
 */
public final class MediaProber {

    private static final Logger LOG = LoggerFactory.getLogger(MediaProber.class);
    private static final Set<String> TIKA_TRUSTED = Set.of("video/mp4", "video/quicktime", "audio/mp4", "video/x-m4v");

    private final InProcessProbe ffmpeg;

    /** @param ffmpeg the in-process probe; null where FFmpeg's libraries do not load: Tika only */
    public MediaProber(InProcessProbe ffmpeg) {
        this.ffmpeg = ffmpeg;
        if (ffmpeg == null) {
            LOG.warn("FFmpeg's libraries do not load on this platform: probing with Apache Tika (MP4 family only)");
        }
    }

    /** The job's figures, unless verify-media already has them from FFmpeg's look at the same whole file. */
    public IngestWork probe(IngestWork work) {
        if (work.probe() == null) {
            probe(work.file(), work.contentType()).ifPresent(work::probed);
        }
        return work;
    }

    public Optional<ProbeResult> probe(Path file, String contentType) {
        try {
            return ffmpeg != null ? ffmpeg.probe(file) : withTika(file, contentType);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not probe {}: {}", file.getFileName(), e.toString());
            return Optional.empty();
        }
    }

    Optional<ProbeResult> withTika(Path file, String contentType) throws IOException {
        if (contentType == null || !TIKA_TRUSTED.contains(contentType.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        Metadata metadata = new Metadata();
        try (TikaInputStream in = TikaInputStream.get(file)) {
            new AutoDetectParser().parse(in, new DefaultHandler(), metadata, new ParseContext());
        } catch (org.xml.sax.SAXException | org.apache.tika.exception.TikaException e) {
            return Optional.empty();
        }
        String duration = metadata.get("xmpDM:duration");
        String width = metadata.get("tiff:ImageWidth");
        String height = metadata.get("tiff:ImageLength");
        String bitrate = null;
        if (duration != null && Double.parseDouble(duration) > 0) {
            bitrate = String.valueOf(Math.round(Files.size(file) * 8 / Double.parseDouble(duration)));
        }
        List<ProbeResult.VideoStream> video = width == null ? List.of() : List.of(new ProbeResult.VideoStream(null, null,
                metadata.get("xmpDM:videoCompressor"), null, width, height, null, null, null, null, duration, null));
        List<ProbeResult.AudioStream> audio = metadata.get("xmpDM:audioSampleRate") == null ? List.of()
                : List.of(new ProbeResult.AudioStream(null, null, null, null, metadata.get("xmpDM:audioSampleRate"),
                        null, metadata.get("xmpDM:audioChannelType"), null, duration));
        return Optional.of(new ProbeResult("mov,mp4,m4a,3gp,3g2,mj2", duration, bitrate, width, height, null, video, audio,
                "tika"));
    }

    /** "30000/1001" as "29.97"; null for 0/0. */
    static String rate(String fraction) {
        if (fraction == null || !fraction.contains("/")) {
            return fraction;
        }
        String[] parts = fraction.split("/");
        double denominator = Double.parseDouble(parts[1]);
        if (denominator == 0) {
            return null;
        }
        double value = Double.parseDouble(parts[0]) / denominator;
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.3f", value);
    }
}
