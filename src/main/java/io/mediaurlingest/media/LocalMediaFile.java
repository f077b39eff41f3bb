package io.mediaurlingest.media;

import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * A media file opened with FFmpeg's libraries inside the JVM, under the rules every use of them
 * follows: one regular local file, never a URL; the file protocol only; the demuxers of
 * single-file formats only (playlist and reference formats, such as hls, dash, concat, imf, sdp
 * and image2 patterns, open other resources by name: an HLS playlist stored as media would
 * otherwise make FFmpeg fetch its segments from any host, internal ones included, past the
 * address guard); and a deadline that FFmpeg's interrupt callback enforces, so no input keeps
 * the calling thread. Use on one thread, and close it.
 */
public final class LocalMediaFile implements AutoCloseable {

    /** Demuxers (FFmpeg names) of the formats we accept that read exactly one file. */
    static final String DEMUXERS = String.join(",", "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm",
            "mpegts", "mpeg", "mpegvideo", "m4v", "h264", "hevc", "avi", "asf", "flv", "live_flv", "ogg", "wav", "w64",
            "mp3", "aac", "flac", "ac3", "eac3", "amr", "amrnb", "amrwb", "caf", "rm", "dv", "gif", "mjpeg", "swf", "ape",
            "aiff", "wv", "mxf", "dts", "truehd", "loas", "vc1", "acm");

    /** The deadline of the media work on this thread; the interrupt callback reads it. */
    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    /** One callback for every file (a native thunk each; JavaCPP keeps few): it looks at the thread's deadline. */
    private static final AVIOInterruptCB.Callback_Pointer PAST_DEADLINE = new AVIOInterruptCB.Callback_Pointer() {
        @Override
        public int call(Pointer opaque) {
            Long deadline = DEADLINE_NANOS.get();
            return deadline != null && System.nanoTime() - deadline > 0 ? 1 : 0;
        }
    };

    private final AVFormatContext context;

    private LocalMediaFile(AVFormatContext context) {
        this.context = context;
    }

    /** True when FFmpeg's libraries load on this platform (linux-x86_64 in the default build). */
    public static boolean librariesLoad() {
        try {
            Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
            av_log_set_level(AV_LOG_QUIET); // a hostile file must not flood the log; callers report failures
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    /** The file with its streams found, or empty when FFmpeg cannot read it within the rules (or in time). */
    static Optional<LocalMediaFile> open(Path file, Duration timeout) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        AVFormatContext context = avformat_alloc_context();
        context.interrupt_callback().callback(PAST_DEADLINE);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "protocol_whitelist", "file", 0);
        av_dict_set(options, "format_whitelist", DEMUXERS, 0);
        DEADLINE_NANOS.set(System.nanoTime() + timeout.toNanos());
        boolean opened = false;
        boolean handedOut = false;
        try {
            // on failure avformat_open_input frees the context itself
            if (avformat_open_input(context, "file:" + file.toAbsolutePath(), null, options) < 0) {
                return Optional.empty();
            }
            opened = true;
            if (avformat_find_stream_info(context, (AVDictionary) null) < 0) {
                return Optional.empty();
            }
            handedOut = true; // the caller closes it
            return Optional.of(new LocalMediaFile(context));
        } finally {
            av_dict_free(options);
            if (!handedOut) {
                if (opened) {
                    avformat_close_input(context);
                }
                DEADLINE_NANOS.remove();
            }
        }
    }

    AVFormatContext context() {
        return context;
    }

    @Override
    public void close() {
        avformat_close_input(context);
        DEADLINE_NANOS.remove();
    }
}
