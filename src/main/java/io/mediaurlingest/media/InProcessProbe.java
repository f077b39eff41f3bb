package io.mediaurlingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;

/**
 * Probing inside the JVM with FFmpeg's own libraries (org.bytedeco:ffmpeg): the figures ffprobe
 * printed, without a process per file, under LocalMediaFile's rules (a local file, the file
 * protocol and single-file demuxers only, a deadline).
 */
public final class InProcessProbe {

    private final Duration timeout;

    public InProcessProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** The file's figures, or empty when FFmpeg cannot read it within the rules (or in time). */
    public Optional<ProbeResult> probe(Path file) {
        Optional<LocalMediaFile> opened = LocalMediaFile.open(file, timeout);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (LocalMediaFile media = opened.get()) {
            ProbeResult figures = figures(media.context());
            // a container without one audio or video stream (a cut-off file) tells nothing
            return figures.videoStreams().isEmpty() && figures.audioStreams().isEmpty() ? Optional.empty()
                    : Optional.of(figures);
        }
    }

    private static ProbeResult figures(AVFormatContext context) {
        List<ProbeResult.VideoStream> video = new ArrayList<>();
        List<ProbeResult.AudioStream> audio = new ArrayList<>();
        for (int i = 0; i < context.nb_streams(); i++) {
            AVStream stream = context.streams(i);
            AVCodecParameters p = stream.codecpar();
            String duration = stream.duration() == AV_NOPTS_VALUE ? null : seconds(stream.duration() * q(stream.time_base()));
            if (p.codec_type() == AVMEDIA_TYPE_VIDEO && (stream.disposition() & 0x0400) == 0) { // not an attached picture
                video.add(new ProbeResult.VideoStream(String.valueOf(stream.index()), codecName(p), codecLongName(p),
                        profile(p), positive(p.width()), positive(p.height()), rate(stream.r_frame_rate()),
                        rate(stream.avg_frame_rate()), string(av_get_pix_fmt_name(p.format())), positive(p.bit_rate()),
                        duration, positive(stream.nb_frames())));
            } else if (p.codec_type() == AVMEDIA_TYPE_AUDIO) {
                audio.add(new ProbeResult.AudioStream(String.valueOf(stream.index()), codecName(p), codecLongName(p),
                        profile(p), positive(p.sample_rate()), positive(p.ch_layout().nb_channels()), channelLayout(p),
                        positive(p.bit_rate()), duration));
            }
        }
        ProbeResult.VideoStream first = video.isEmpty() ? null : video.get(0);
        String duration = context.duration() == AV_NOPTS_VALUE ? null : seconds(context.duration() / (double) AV_TIME_BASE);
        return new ProbeResult(context.iformat().name().getString(), duration, positive(context.bit_rate()),
                first == null ? null : first.width(), first == null ? null : first.height(),
                first == null ? null : first.fps(), video, audio, "ffmpeg");
    }

    private static String codecName(AVCodecParameters p) {
        return string(avcodec_get_name(p.codec_id()));
    }

    private static String codecLongName(AVCodecParameters p) {
        AVCodecDescriptor descriptor = avcodec_descriptor_get(p.codec_id());
        return descriptor == null ? null : string(descriptor.long_name());
    }

    private static String profile(AVCodecParameters p) {
        return string(avcodec_profile_name(p.codec_id(), p.profile()));
    }

    private static String channelLayout(AVCodecParameters p) {
        byte[] text = new byte[64];
        int n = av_channel_layout_describe(p.ch_layout(), text, text.length);
        return n <= 0 ? null : new String(text, 0, Math.min(n, text.length) - 1, java.nio.charset.StandardCharsets.US_ASCII)
                .replace("\0", "");
    }

    /** A rational as ffprobe's figures show it: "25", "29.970"; null for 0/0. */
    private static String rate(AVRational r) {
        if (r.den() == 0 || r.num() == 0) {
            return null;
        }
        return MediaProber.rate(r.num() + "/" + r.den());
    }

    private static double q(AVRational r) {
        return r.den() == 0 ? 0 : r.num() / (double) r.den();
    }

    /** Seconds as ffprobe prints them: six decimals. */
    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.6f", seconds);
    }

    private static String positive(long value) {
        return value > 0 ? String.valueOf(value) : null;
    }

    private static String string(BytePointer pointer) {
        return pointer == null || pointer.isNull() ? null : pointer.getString();
    }
}
