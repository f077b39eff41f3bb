package io.mediaurlingest.workflow;

import io.mediaurlingest.Headers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.media.FrameGrabber;
import io.mediaurlingest.store.ObjectKeys;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * The snapshot workflow's steps (routes/workflows/snapshot.camel.yaml): one frame (at 1 s, or at
 * 10% of media shorter than 10 s), taken with FFmpeg's libraries inside the JVM from a local copy
 * of the stored object (never a URL: see FrameGrabber); an aws2-s3 endpoint stores it beside the media as
 * media/{MediaId}-snapshot.jpg; it becomes the media's cover when the client gave none.
 */
public final class SnapshotMaker {

    private final MediaRepository media;
    private final StorageLocations locations;
    private final Path tempDir;
    private final FrameGrabber grabber;

    /** @param grabber null where FFmpeg's libraries do not load: the workflow then fails with a clear message */
    public SnapshotMaker(MediaRepository media, StorageLocations locations, Path tempDir, FrameGrabber grabber) {
        this.media = media;
        this.locations = locations;
        this.tempDir = tempDir;
        this.grabber = grabber;
    }

    /**
     * Takes the frame. Body out: the JPEG file; headers: its key, type and length (CamelAwsS3*)
     * and the TargetLocation and TargetBucket it is stored in (the media's own).
     */
    public File frame(@Header(Headers.MEDIA_ID) String mediaId, Exchange exchange) throws IOException, InterruptedException {
        if (grabber == null) {
            throw new IllegalStateException("The snapshot workflow needs FFmpeg's libraries, which do not load on this node.");
        }
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        StorageLocation location = locations.get(m.storageLocation());
        Path source = sourceFile(mediaId);
        Path jpeg = jpegFile(mediaId);
        try {
            Files.createDirectories(tempDir);
            Files.deleteIfExists(source);
            location.download(m.objectKey(), source);
            try {
                grabber.grab(source, at(m), jpeg);
            } catch (IOException e) {
                throw new IllegalStateException("Could not take a frame: " + e.getMessage(), e);
            }
        } finally {
            Files.deleteIfExists(source);
        }
        var message = exchange.getMessage();
        message.setHeader(AWS2S3Constants.KEY, ObjectKeys.snapshot(mediaId));
        message.setHeader(AWS2S3Constants.CONTENT_TYPE, "image/jpeg");
        message.setHeader(AWS2S3Constants.CONTENT_LENGTH, Files.size(jpeg));
        message.setHeader(Headers.TARGET_LOCATION, location.name());
        message.setHeader(Headers.TARGET_BUCKET, location.bucket());
        return jpeg.toFile();
    }

    /** Once the frame is stored: it becomes the cover of a media that has none. Returns its URL. */
    public String cover(@Header(Headers.MEDIA_ID) String mediaId) {
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        String coverUrl = locations.get(m.storageLocation()).objectUrl(ObjectKeys.snapshot(mediaId));
        if (m.coverUrl() == null) {
            media.setCoverUrl(mediaId, coverUrl);
        }
        return coverUrl;
    }

    /** Removes the workflow's temporary files, whatever happened. */
    public void discard(@Header(Headers.MEDIA_ID) String mediaId) throws IOException {
        Files.deleteIfExists(sourceFile(mediaId));
        Files.deleteIfExists(jpegFile(mediaId));
    }

    private Path sourceFile(String mediaId) {
        return tempDir.resolve(mediaId + "-snapshot.source");
    }

    private Path jpegFile(String mediaId) {
        return tempDir.resolve(mediaId + "-snapshot.jpg");
    }

    /** 1 s into the media, or 10% of it when it is shorter than 10 s. */
    static double at(MediaAsset m) {
        double seconds = 1.0;
        if (m.probe() != null) {
            try {
                JsonNode duration = Json.read(m.probe()).get("Duration");
                if (duration != null && !duration.isNull() && Double.parseDouble(duration.asText()) < 10) {
                    seconds = Double.parseDouble(duration.asText()) / 10;
                }
            } catch (IOException | NumberFormatException ignored) {
                // no usable duration: 1 s
            }
        }
        return seconds;
    }
}
