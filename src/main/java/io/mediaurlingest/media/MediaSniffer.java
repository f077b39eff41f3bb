package io.mediaurlingest.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Set;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;
import org.apache.tika.Tika;

/**
 * Looks at the downloaded bytes themselves (Apache Tika's magic detection, not the name the
 * source gave them): an HTML error page, an image or random bytes saved as ".mp4" are refused.
 * Raw streams Tika knows no magic for (MPEG-TS, AAC, ...) are taken by their extension only when
 * FFmpeg's demuxers, under the probe's rules, find an audio or video stream in them, so random
 * bytes saved as ".ts" are refused too (where FFmpeg's libraries do not load, the extension is
 * trusted as before).
 */
public final class MediaSniffer {

    private static final Set<String> OTHER_MEDIA_TYPES = Set.of("application/ogg", "application/mp4",
            "application/x-matroska", "application/vnd.rn-realmedia", "application/vnd.rn-realmedia-vbr",
            "application/x-shockwave-flash", "image/gif", "application/vnd.ms-asf");

    /** Extensions whose files Tika's magic cannot recognise (raw streams, cuts without headers). */
    private static final Set<String> NO_MAGIC = Set.of("dat", "ts", "mts", "m2t", "ac3", "acm", "dv", "ape", "rm", "rmvb",
            "ra", "amr", "caf", "aac", "mpe");

    private final Tika tika = new Tika();
    private final InProcessProbe ffmpeg;

    /** @param ffmpeg the in-process probe, or null where FFmpeg's libraries do not load */
    public MediaSniffer(InProcessProbe ffmpeg) {
        this.ffmpeg = ffmpeg;
    }

    /**
     * The whole file is checked; when that took FFmpeg's look (a format without magic), its
     * figures are the job's probe already, and the probe step does not open the file again.
     */
    public IngestWork verify(IngestWork work) {
        Sniffed sniffed = sniffed(work.file(), work.fileExtension());
        work.detected(sniffed.contentType());
        if (sniffed.probe() != null) {
            work.probed(sniffed.probe());
        }
        return work;
    }

    /** The content type of a file's first bytes when they are audio or video; else UnsupportedMediaType. */
    public String sniff(java.nio.file.Path file, String extension) {
        return sniffed(file, extension).contentType();
    }

    /** A file's content type, and FFmpeg's figures of it when they were needed to tell (else null). */
    private record Sniffed(String contentType, ProbeResult probe) {
    }

    private Sniffed sniffed(java.nio.file.Path file, String extension) {
        String sniffed;
        try (InputStream in = Files.newInputStream(file)) {
            sniffed = tika.detect(in); // bytes only: the name must not vouch for the content
        } catch (IOException e) {
            throw new IllegalStateException("cannot read downloaded file: " + e.getMessage(), e);
        }
        if (sniffed.contains("mpegurl") || sniffed.contains("mpegURL")) {
            // a playlist is not the media: stored as a file it names segments nobody fetched
            throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The downloaded file is an HLS playlist; give "
                    + "its URL with the .m3u8 extension (or MediaMetaData.FileExtension m3u8) to ingest the presentation.");
        }
        if (sniffed.startsWith("video/") || sniffed.startsWith("audio/") || OTHER_MEDIA_TYPES.contains(sniffed)) {
            return new Sniffed(sniffed, null);
        }
        if (sniffed.equals("application/octet-stream") && NO_MAGIC.contains(extension)) {
            // formats whose files carry no magic number Tika knows: the declared extension, when
            // FFmpeg finds a stream in the bytes (in the first MiB, for a large file's early check)
            if (ffmpeg == null) {
                return new Sniffed(MediaFormats.contentType(extension), null);
            }
            ProbeResult probe = ffmpeg.probe(file).filter(MediaSniffer::hasUsableStream).orElseThrow(
                    () -> JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The downloaded file has no magic number "
                            + "and FFmpeg finds no audio or video stream in it: not ." + extension + " media."));
            return new Sniffed(MediaFormats.contentType(extension), probe);
        }
        if (sniffed.equals("image/jpeg") && extension.equals("mjpeg")) {
            return new Sniffed(MediaFormats.contentType(extension), null); // a Motion JPEG file starts as a JPEG
        }
        throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The downloaded file is " + sniffed + ", not audio or video.");
    }

    /** A stream FFmpeg could set up: a picture's size, or a sound's rate and channels (noise passes its weakest guesses, not this). */
    private static boolean hasUsableStream(ProbeResult probe) {
        return probe.videoStreams().stream().anyMatch(v -> v.width() != null && v.height() != null)
                || probe.audioStreams().stream().anyMatch(a -> a.sampleRate() != null && a.channels() != null);
    }
}
