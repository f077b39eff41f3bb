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
 * source gave them): an HTML error page or an image saved as ".mp4" is refused.
 */
public final class MediaInspector {

    private static final Set<String> OTHER_MEDIA_TYPES = Set.of("application/ogg", "application/mp4",
            "application/x-matroska", "application/vnd.rn-realmedia", "application/vnd.rn-realmedia-vbr",
            "application/x-shockwave-flash", "application/vnd.apple.mpegurl", "application/x-mpegurl",
            "application/x-mpegURL", "image/gif", "application/vnd.ms-asf");

    private final Tika tika = new Tika();

    public IngestWork verify(IngestWork work) {
        String extension = work.job().fileExtension();
        String sniffed;
        try (InputStream in = Files.newInputStream(work.file())) {
            sniffed = tika.detect(in); // bytes only: the name must not vouch for the content
        } catch (IOException e) {
            throw new IllegalStateException("cannot read downloaded file: " + e.getMessage(), e);
        }
        if (sniffed.startsWith("video/") || sniffed.startsWith("audio/") || OTHER_MEDIA_TYPES.contains(sniffed)) {
            work.detected(sniffed);
            return work;
        }
        if (sniffed.equals("application/octet-stream") && MediaFormats.isKnown(extension)) {
            // raw streams without a magic number (e.g. some .dat/.ts cuts): trust the declared extension
            work.detected(MediaFormats.contentType(extension));
            return work;
        }
        throw JobFailure.permanent(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "The downloaded file is " + sniffed + ", not audio or video.");
    }
}
