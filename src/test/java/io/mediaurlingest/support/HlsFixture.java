package io.mediaurlingest.support;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * HLS VOD presentations made in the test with FFmpeg's own hls muxer (the libraries the service
 * uses; no ffmpeg program needed): the one-second sample clip repeated, one segment a second,
 * plain or AES-128 encrypted, with video and audio together or in separate playlists.
 */
public final class HlsFixture {

    public enum Streams { BOTH, VIDEO, AUDIO }

    private HlsFixture() {
    }

    /**
     * Writes {dir}/{name}.m3u8 and its segments {name}-000.ts …: the clip repeated, each copy
     * starting where the previous one's longest stream ended.
     * @param keyUri with a key: the URI the playlist names for it (the key file is {dir}/{name}.key)
     * @return the presentation's duration in seconds
     */
    public static double write(Path dir, String name, int copies, Streams streams, byte[] key, String keyUri) throws IOException {
        Files.createDirectories(dir);
        Path sample = Files.createTempFile(dir, "sample", ".mp4");
        Files.write(sample, Fixtures.media("sample.mp4"));
        AVFormatContext out = new AVFormatContext(null);
        check(avformat_alloc_output_context2(out, null, "hls", dir.resolve(name + ".m3u8").toString()), "hls muxer");
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "hls_time", "1", 0);
        av_dict_set(options, "hls_list_size", "0", 0);
        av_dict_set(options, "hls_playlist_type", "vod", 0);
        av_dict_set(options, "hls_segment_filename", dir.resolve(name + "-%03d.ts").toString(), 0);
        if (key != null) {
            Path keyFile = dir.resolve(name + ".key");
            Files.write(keyFile, key);
            Path keyInfo = Files.writeString(dir.resolve(name + ".keyinfo"), keyUri + "\n" + keyFile + "\n");
            av_dict_set(options, "hls_key_info_file", keyInfo.toString(), 0);
        }
        AVFormatContext probe = open(sample);
        long periodMicros = clipLength(probe);
        probe = open(sample);
        int[] map = new int[probe.nb_streams()];
        for (int s = 0; s < probe.nb_streams(); s++) {
            int type = probe.streams(s).codecpar().codec_type();
            boolean wanted = type == AVMEDIA_TYPE_VIDEO && streams != Streams.AUDIO
                    || type == AVMEDIA_TYPE_AUDIO && streams != Streams.VIDEO;
            map[s] = -1;
            if (wanted) {
                AVStream copy = avformat_new_stream(out, null);
                check(avcodec_parameters_copy(copy.codecpar(), probe.streams(s).codecpar()), "parameters");
                copy.codecpar().codec_tag(0);
                copy.time_base(probe.streams(s).time_base());
                map[s] = copy.index();
            }
        }
        avformat_close_input(probe);
        check(avformat_write_header(out, options), "header");
        av_dict_free(options);
        AVPacket packet = av_packet_alloc();
        AVRational micros = new AVRational().num(1).den(1_000_000);
        for (int k = 0; k < copies; k++) {
            AVFormatContext in = open(sample);
            while (av_read_frame(in, packet) >= 0) {
                int target = map[packet.stream_index()];
                if (target < 0) {
                    av_packet_unref(packet);
                    continue;
                }
                AVRational tb = in.streams(packet.stream_index()).time_base();
                long offset = av_rescale_q(k * periodMicros, micros, tb);
                if (packet.pts() != AV_NOPTS_VALUE) {
                    packet.pts(packet.pts() + offset);
                }
                if (packet.dts() != AV_NOPTS_VALUE) {
                    packet.dts(packet.dts() + offset);
                }
                av_packet_rescale_ts(packet, tb, out.streams(target).time_base());
                packet.stream_index(target);
                packet.pos(-1);
                check(av_interleaved_write_frame(out, packet), "packet");
            }
            avformat_close_input(in);
        }
        av_packet_free(packet);
        check(av_write_trailer(out), "trailer");
        avformat_free_context(out);
        Files.delete(sample);
        return copies * periodMicros / 1e6;
    }

    /**
     * How long the clip lasts from its earliest packet to where its longest stream ends, in
     * microseconds (AAC starts a little before the video, with its priming, and ends after it).
     */
    private static long clipLength(AVFormatContext in) {
        AVRational micros = new AVRational().num(1).den(1_000_000);
        AVPacket packet = av_packet_alloc();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        while (av_read_frame(in, packet) >= 0) {
            AVRational tb = in.streams(packet.stream_index()).time_base();
            long first = Math.min(packet.pts() == AV_NOPTS_VALUE ? Long.MAX_VALUE : packet.pts(),
                    packet.dts() == AV_NOPTS_VALUE ? Long.MAX_VALUE : packet.dts());
            if (first != Long.MAX_VALUE) {
                start = Math.min(start, av_rescale_q(first, tb, micros));
                end = Math.max(end, av_rescale_q(Math.max(packet.pts(), packet.dts()) + packet.duration(), tb, micros));
            }
            av_packet_unref(packet);
        }
        av_packet_free(packet);
        avformat_close_input(in);
        return end - start;
    }

    /** Serves every file of the folder under the prefix (/hls/plain/ + file name). */
    public static void serve(LoopbackHttpServer server, String prefix, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String type = name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl"
                        : name.endsWith(".ts") ? "video/mp2t" : "application/octet-stream";
                server.serve(prefix + name, type, Files.readAllBytes(file));
            }
        }
    }

    private static AVFormatContext open(Path file) {
        AVFormatContext in = new AVFormatContext(null);
        check(avformat_open_input(in, file.toString(), null, null), "open " + file);
        check(avformat_find_stream_info(in, (AVDictionary) null), "stream info");
        return in;
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException("FFmpeg failed making the HLS fixture: " + what + " (" + result + ")");
        }
    }
}
