package io.mediaurlingest.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open2;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_strdup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.mediaurlingest.Digests;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.fetch.HlsParts;
import io.mediaurlingest.fetch.SourceDownloader;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Makes one MP4 of an HLS presentation's fetched tracks (the variant's segments, and its
 * separate audio): stream copy, no re-encoding, inside the JVM with FFmpeg's libraries, under
 * LocalMediaFile's rules (local files, the file protocol and single-file demuxers only, the
 * ingest.media.timeout deadline). Packets of the tracks are interleaved by time; ADTS audio gets
 * the bitstream filter MP4 needs from the muxer itself. The MP4 is written with its index first
 * (faststart), so it plays while it downloads.
 */
public final class Remuxer {

    private final Duration timeout;
    private final Path tempDir;
    private final boolean librariesLoad;

    public Remuxer(Duration timeout, Path tempDir) {
        this.timeout = timeout;
        this.tempDir = tempDir;
        this.librariesLoad = LocalMediaFile.librariesLoad();
    }

    /** Body: an HLS job's work with its tracks fetched. Leaves the MP4 as the job's downloaded file. */
    public IngestWork remux(IngestWork work) {
        HlsParts parts = work.hlsParts();
        if (!librariesLoad) {
            throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "HLS presentations are remuxed with FFmpeg's libraries, which do not load on this platform.");
        }
        Path output = tempDir.resolve(work.job().jobId() + ".mp4");
        try {
            remux(parts.files(), output);
            MessageDigest md5 = Digests.of("MD5");
            MessageDigest sha256 = Digests.of("SHA-256");
            Digests.feed(output, md5, sha256);
            work.remuxed(output, "mp4", Files.size(output), HexFormat.of().formatHex(md5.digest()),
                    HexFormat.of().formatHex(sha256.digest()));
            parts.delete();
            return work;
        } catch (IOException e) {
            SourceDownloader.deleteQuietly(output);
            throw new IllegalStateException("cannot write " + output + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            SourceDownloader.deleteQuietly(output);
            throw e;
        }
    }

    /** Copies the audio and video streams of the inputs into one MP4. */
    void remux(List<Path> inputs, Path output) {
        List<LocalMediaFile> opened = new ArrayList<>();
        AVFormatContext out = new AVFormatContext(null);
        AVPacket[] next = new AVPacket[inputs.size()];
        boolean headerWritten = false;
        try {
            for (Path input : inputs) {
                opened.add(LocalMediaFile.open(input, timeout).orElseThrow(() -> JobFailure.permanent(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The HLS segments are not audio or video that FFmpeg can read.")));
            }
            String url = "file:" + output.toAbsolutePath();
            check(avformat_alloc_output_context2(out, null, "mp4", url), "no MP4 muxer");
            // faststart reopens the file by its URL to move the index to the front: the file protocol only
            out.protocol_whitelist(av_strdup(new org.bytedeco.javacpp.BytePointer("file")));
            int[][] map = new int[inputs.size()][];
            int streams = 0;
            for (int i = 0; i < opened.size(); i++) {
                AVFormatContext in = opened.get(i).context();
                map[i] = new int[in.nb_streams()];
                for (int s = 0; s < in.nb_streams(); s++) {
                    AVStream stream = in.streams(s);
                    int type = stream.codecpar().codec_type();
                    if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO) {
                        map[i][s] = -1; // timed metadata (ID3), subtitles: not carried
                        continue;
                    }
                    AVStream copy = avformat_new_stream(out, null);
                    check(avcodec_parameters_copy(copy.codecpar(), stream.codecpar()), "cannot copy the codec parameters");
                    copy.codecpar().codec_tag(0);
                    copy.time_base(stream.time_base());
                    map[i][s] = copy.index();
                    streams++;
                }
            }
            if (streams == 0) {
                throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The HLS presentation has no audio or video stream.");
            }
            AVDictionary protocols = new AVDictionary(null);
            av_dict_set(protocols, "protocol_whitelist", "file", 0);
            AVIOContext pb = new AVIOContext(null);
            int opened2 = avio_open2(pb, url, AVIO_FLAG_WRITE, null, protocols);
            av_dict_free(protocols);
            check(opened2, "cannot open the output file");
            out.pb(pb);
            AVDictionary muxing = new AVDictionary(null);
            av_dict_set(muxing, "movflags", "+faststart", 0);
            int written = avformat_write_header(out, muxing);
            av_dict_free(muxing);
            check(written, "the MP4 muxer refused these streams");
            headerWritten = true;
            for (int i = 0; i < next.length; i++) {
                next[i] = av_packet_alloc();
                if (!read(opened.get(i).context(), next[i])) {
                    av_packet_free(next[i]);
                    next[i] = null;
                }
            }
            for (int i = earliest(opened, next); i >= 0; i = earliest(opened, next)) {
                AVPacket packet = next[i];
                AVStream in = opened.get(i).context().streams(packet.stream_index());
                int target = map[i][packet.stream_index()];
                if (target >= 0) {
                    av_packet_rescale_ts(packet, in.time_base(), out.streams(target).time_base());
                    packet.stream_index(target);
                    packet.pos(-1);
                    check(av_interleaved_write_frame(out, packet), "a packet could not be written");
                } else {
                    av_packet_unref(packet);
                }
                if (!read(opened.get(i).context(), packet)) {
                    av_packet_free(packet);
                    next[i] = null;
                }
            }
            check(av_write_trailer(out), "the MP4 could not be finished");
        } finally {
            for (AVPacket packet : next) {
                if (packet != null) {
                    av_packet_free(packet);
                }
            }
            if (!out.isNull()) {
                if (out.pb() != null && !out.pb().isNull()) {
                    avio_closep(out.pb());
                }
                avformat_free_context(out);
            }
            opened.forEach(LocalMediaFile::close);
            if (!headerWritten) {
                SourceDownloader.deleteQuietly(output);
            }
        }
    }

    /** Reads the next packet; false at the end of the input (or when it cannot be read further, or its deadline passed). */
    private static boolean read(AVFormatContext in, AVPacket packet) {
        return av_read_frame(in, packet) >= 0;
    }

    /** The input whose waiting packet comes first in time; -1 when all are spent. */
    private static int earliest(List<LocalMediaFile> inputs, AVPacket[] next) {
        int best = -1;
        for (int i = 0; i < next.length; i++) {
            if (next[i] == null) {
                continue;
            }
            if (best < 0 || av_compare_ts(time(next[i]), inputs.get(i).context().streams(next[i].stream_index()).time_base(),
                    time(next[best]), inputs.get(best).context().streams(next[best].stream_index()).time_base()) < 0) {
                best = i;
            }
        }
        return best;
    }

    private static long time(AVPacket packet) {
        return packet.dts() != AV_NOPTS_VALUE ? packet.dts() : packet.pts() != AV_NOPTS_VALUE ? packet.pts() : Long.MIN_VALUE / 2;
    }

    private static void check(int result, String what) {
        if (result < 0) {
            throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The HLS segments could not be remuxed into one MP4: " + what + " (FFmpeg error " + result + ").");
        }
    }
}
