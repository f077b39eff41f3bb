package io.mediaurlingest.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.job.IngestWork;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Probes a downloaded file before it is stored: ffprobe when it is installed (and
 * ingest.media.ffprobe is auto or true), else Apache Tika's audio/video parsers in pure Java,
 * whose figures are kept only for the MP4 family (where they match ffprobe's). Probing never
 * fails a job: a file it cannot read is stored without figures.
 */
public final class MediaProber {

    private static final Logger LOG = LoggerFactory.getLogger(MediaProber.class);
    private static final Set<String> TIKA_TRUSTED = Set.of("video/mp4", "video/quicktime", "audio/mp4", "video/x-m4v");

    private final MediaTool ffprobe;

    /**
     * @param mode    ingest.media.ffprobe: auto (use it when on the PATH), true, or false
     * @param timeout ingest.media.timeout: ffprobe is killed after it
     */
    public MediaProber(String mode, java.time.Duration timeout) {
        boolean wanted = !"false".equalsIgnoreCase(mode);
        String program = wanted ? findOnPath("ffprobe") : null;
        if ("true".equalsIgnoreCase(mode) && program == null) {
            throw new IllegalStateException("ingest.media.ffprobe=true but no ffprobe is on the PATH");
        }
        this.ffprobe = program == null ? null : new MediaTool(program, timeout);
    }

    public IngestWork probe(IngestWork work) {
        probe(work.file(), work.contentType()).ifPresent(work::probed);
        return work;
    }

    public Optional<ProbeResult> probe(Path file, String contentType) {
        try {
            return ffprobe != null ? withFfprobe(file) : withTika(file, contentType);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not probe {}: {}", file.getFileName(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    Optional<ProbeResult> withFfprobe(Path file) throws IOException, InterruptedException {
        MediaTool.Result run = ffprobe.run(List.of(), file, List.of("-print_format", "json", "-show_format", "-show_streams"));
        if (!run.succeeded()) {
            LOG.warn("ffprobe could not read {}{}: {}", file.getFileName(),
                    run.timedOut() ? " within " + ffprobe.timeout() : "", run.stderr());
            return Optional.empty();
        }
        JsonNode root = Json.MAPPER.readTree(run.stdout());
        JsonNode format = root.path("format");
        List<ProbeResult.VideoStream> video = new ArrayList<>();
        List<ProbeResult.AudioStream> audio = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            String type = s.path("codec_type").asText();
            if (type.equals("video") && !s.path("disposition").path("attached_pic").asBoolean(false)) {
                video.add(new ProbeResult.VideoStream(text(s, "index"), text(s, "codec_name"), text(s, "codec_long_name"),
                        text(s, "profile"), text(s, "width"), text(s, "height"), rate(text(s, "r_frame_rate")),
                        rate(text(s, "avg_frame_rate")), text(s, "pix_fmt"), text(s, "bit_rate"), text(s, "duration"),
                        text(s, "nb_frames")));
            } else if (type.equals("audio")) {
                audio.add(new ProbeResult.AudioStream(text(s, "index"), text(s, "codec_name"), text(s, "codec_long_name"),
                        text(s, "profile"), text(s, "sample_rate"), text(s, "channels"), text(s, "channel_layout"),
                        text(s, "bit_rate"), text(s, "duration")));
            }
        }
        ProbeResult.VideoStream first = video.isEmpty() ? null : video.get(0);
        return Optional.of(new ProbeResult(text(format, "format_name"), text(format, "duration"), text(format, "bit_rate"),
                first == null ? null : first.width(), first == null ? null : first.height(),
                first == null ? null : first.fps(), video, audio, "ffprobe"));
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

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** The path of a program on the PATH, or null. */
    public static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
