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
 */
public final class MediaSniffer {

    private static final Set<String> OTHER_MEDIA_TYPES = Set.of("application/ogg", "application/mp4",
            "application/x-matroska", "application/vnd.rn-realmedia", "application/vnd.rn-realmedia-vbr",
            "application/x-shockwave-flash", "image/gif", "application/vnd.ms-asf");

    /** Extensions whose files Tika's magic cannot recognise (raw streams, cuts without headers). */
    private static final Set<String> NO_MAGIC = Set.of("dat", "ts", "mts", "m2t", "ac3", "acm", "dv", "ape", "rm", "rmvb",
            "ra", "amr", "caf", "aac", "mpe");

    private final Tika tika = new Tika();

    public IngestWork verify(IngestWork work) {
        work.detected(sniff(work.file(), work.fileExtension()));
        return work;
    }

    /** The content type of a file's first bytes when they are audio or video; else UnsupportedMediaType. */
    public String sniff(java.nio.file.Path file, String extension) {
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
            return sniffed;
        }
        if ((sniffed.equals("application/octet-stream") && NO_MAGIC.contains(extension))
                || (sniffed.equals("image/jpeg") && extension.equals("mjpeg"))) {
            // formats whose files carry no magic number Tika knows: trust the declared extension
            return MediaFormats.contentType(extension);
        }
        throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The downloaded file is " + sniffed + ", not audio or video.");
    }
}
