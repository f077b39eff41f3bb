package io.mediaurlingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Probing inside the JVM with FFmpeg's own libraries (org.bytedeco:ffmpeg): the figures ffprobe
 * printed, without a process per file. The same rules as for the tools (MediaTool): one local
 * file, the file protocol only, the demuxers of single-file formats only; and a deadline, checked
 * by FFmpeg's interrupt callback, so no input keeps the calling thread.
 */
public final class InProcessProbe {

    /** The deadline of the probe running on this thread; the interrupt callback reads it. */
    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    /** One callback for every probe (a native thunk each; JavaCPP keeps few): it looks at the thread's deadline. */
    private static final AVIOInterruptCB.Callback_Pointer PAST_DEADLINE = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            Long deadline = DEADLINE_NANOS.get();
            return deadline != null && System.nanoTime() - deadline > 0 ? 1 : 0;
        }
    };

    private final Duration timeout;

    public InProcessProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** True when FFmpeg's libraries load on this platform (linux-x86_64 in the default build). */
    public static boolean isAvailable() {
        try {
            Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
            av_log_set_level(AV_LOG_QUIET); // a hostile file must not flood the log; failures are reported here
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /** The file's figures, or empty when FFmpeg cannot read it within the rules (or in time). */
    public Optional<ProbeResult> probe(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        AVFormatContext context = avformat_alloc_context();
        context.interrupt_callback().callback(PAST_DEADLINE);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "protocol_whitelist", "file", 0);
        av_dict_set(options, "format_whitelist", MediaTool.DEMUXERS, 0);
        DEADLINE_NANOS.set(System.nanoTime() + timeout.toNanos());
        try {
            // on failure avformat_open_input frees the context itself
            if (avformat_open_input(context, "file:" + file.toAbsolutePath(), null, options) < 0) {
                return Optional.empty();
            }
            try {
                if (avformat_find_stream_info(context, (AVDictionary) null) < 0) {
                    return Optional.empty();
                }
                ProbeResult figures = figures(context);
                // a container without one audio or video stream (a cut-off file) tells nothing
                return figures.videoStreams().isEmpty() && figures.audioStreams().isEmpty() ? Optional.empty()
                        : Optional.of(figures);
            } finally {
                avformat_close_input(context);
            }
        } finally {
            DEADLINE_NANOS.remove();
            av_dict_free(options);
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
