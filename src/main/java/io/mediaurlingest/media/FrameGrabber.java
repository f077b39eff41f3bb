package io.mediaurlingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * One frame of a video as a JPEG, made inside the JVM with FFmpeg's libraries (what
 * {@code ffmpeg -ss T -i file -frames:v 1 -q:v 3 out.jpg} does), under LocalMediaFile's rules.
 */
public final class FrameGrabber {

    private static final int JPEG_QUALITY = 3; // ffmpeg's -q:v scale: 2 (best) to 31

    private final Duration timeout;

    public FrameGrabber(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Writes the first frame at or after {@code atSeconds} (the first frame at all when the media is
     * shorter) to {@code jpeg}.
     * @throws IOException with a reason when the file has no video FFmpeg can read, or no frame came in time
     */
    public void grab(Path file, double atSeconds, Path jpeg) throws IOException {
        boolean seek = atSeconds > 0;
        try {
            grab(file, atSeconds, jpeg, seek);
        } catch (NoFrameException afterSeek) {
            if (!seek) {
                throw afterSeek;
            }
            // seeking by time is approximate in some formats (MPEG-TS): read from the start instead
            grab(file, atSeconds, jpeg, false);
        }
    }

    /** Nothing decoded where the reading started. */
    private static final class NoFrameException extends IOException {
        NoFrameException() {
            super("no frame could be decoded (or not in time)");
        }
    }

    private void grab(Path file, double atSeconds, Path jpeg, boolean seek) throws IOException {
        try (LocalMediaFile media = LocalMediaFile.open(file, timeout)
                .orElseThrow(() -> new IOException("FFmpeg could not read the file as single-file media"))) {
            AVFormatContext format = media.context();
            int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (index < 0) {
                throw new IOException("the file has no video stream to take a frame from");
            }
            AVStream stream = format.streams(index);
            AVFrame frame = decodeAt(format, stream, atSeconds, seek);
            try {
                Files.write(jpeg, encodeJpeg(frame));
            } finally {
                av_frame_free(frame);
            }
        }
    }

    /**
     * Seeks (when asked) to the key frame before the time and decodes up to the first frame at or
     * after it; the last frame when the media ends before.
     */
    private static AVFrame decodeAt(AVFormatContext format, AVStream stream, double atSeconds, boolean seek)
            throws IOException {
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null) {
            throw new IOException("no decoder for the video stream");
        }
        AVCodecContext decoder = avcodec_alloc_context3(codec);
        AVPacket packet = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        AVFrame found = null;
        AVFrame latestBefore = null; // the last frame decoded before the time
        try {
            if (avcodec_parameters_to_context(decoder, stream.codecpar()) < 0
                    || avcodec_open2(decoder, codec, (AVDictionary) null) < 0) {
                throw new IOException("the video decoder could not be opened");
            }
            double timeBase = stream.time_base().num() / (double) stream.time_base().den();
            long start = stream.start_time() == AV_NOPTS_VALUE ? 0 : stream.start_time(); // MPEG-TS starts late
            long target = start + (long) (atSeconds / timeBase);
            if (seek) {
                av_seek_frame(format, stream.index(), target, AVSEEK_FLAG_BACKWARD); // from the start when it fails
            }
            boolean draining = false;
            while (found == null) {
                int read = draining ? -1 : av_read_frame(format, packet);
                if (read < 0 && !draining) {
                    draining = true;
                    avcodec_send_packet(decoder, null); // the decoder gives back what it holds
                } else if (read >= 0) {
                    if (packet.stream_index() == stream.index()) {
                        avcodec_send_packet(decoder, packet);
                    }
                    av_packet_unref(packet);
                }
                int received;
                while ((received = avcodec_receive_frame(decoder, frame)) >= 0) {
                    long pts = frame.best_effort_timestamp();
                    if (pts == AV_NOPTS_VALUE || pts >= target) {
                        found = frame;
                        frame = null;
                        break;
                    }
                    if (latestBefore == null) {
                        latestBefore = av_frame_alloc();
                    }
                    av_frame_unref(latestBefore);
                    av_frame_move_ref(latestBefore, frame);
                }
                if (found == null && draining && received < 0) {
                    found = latestBefore; // the media ends before the time: its last frame
                    latestBefore = null;
                    if (found == null) {
                        throw new NoFrameException();
                    }
                }
            }
            return found;
        } finally {
            if (latestBefore != null) {
                av_frame_free(latestBefore);
            }
            if (frame != null) {
                av_frame_free(frame);
            }
            av_packet_free(packet);
            avcodec_free_context(decoder);
        }
    }

    /** The frame in full-range YUV 4:2:0 through FFmpeg's MJPEG encoder, at ffmpeg's -q:v 3. */
    private static byte[] encodeJpeg(AVFrame source) throws IOException {
        AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
        AVCodecContext encoder = avcodec_alloc_context3(codec);
        AVFrame yuv = av_frame_alloc();
        AVPacket packet = av_packet_alloc();
        SwsContext scaler = null;
        try {
            encoder.width(source.width());
            encoder.height(source.height());
            encoder.pix_fmt(AV_PIX_FMT_YUVJ420P);
            encoder.time_base().num(1).den(25);
            encoder.flags(encoder.flags() | AV_CODEC_FLAG_QSCALE);
            if (avcodec_open2(encoder, codec, (AVDictionary) null) < 0) {
                throw new IOException("the JPEG encoder could not be opened");
            }
            yuv.format(AV_PIX_FMT_YUVJ420P);
            yuv.width(source.width());
            yuv.height(source.height());
            if (av_frame_get_buffer(yuv, 0) < 0) {
                throw new IOException("no memory for the frame");
            }
            scaler = sws_getContext(source.width(), source.height(), source.format(), source.width(), source.height(),
                    AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, null, null, (DoublePointer) null);
            if (scaler == null) {
                throw new IOException("the frame's pixel format cannot be converted");
            }
            sws_scale(scaler, source.data(), source.linesize(), 0, source.height(),
                    yuv.data(), yuv.linesize());
            yuv.quality(FF_QP2LAMBDA * JPEG_QUALITY);
            yuv.pts(0);
            if (avcodec_send_frame(encoder, yuv) < 0 || avcodec_receive_packet(encoder, packet) < 0) {
                throw new IOException("the frame could not be encoded as JPEG");
            }
            byte[] jpeg = new byte[packet.size()];
            packet.data().get(jpeg);
            return jpeg;
        } finally {
            if (scaler != null) {
                sws_freeContext(scaler);
            }
            av_packet_free(packet);
            av_frame_free(yuv);
            avcodec_free_context(encoder);
        }
    }
}
