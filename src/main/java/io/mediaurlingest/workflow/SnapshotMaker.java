package io.mediaurlingest.workflow;

import io.mediaurlingest.Headers;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.media.MediaTool;
import io.mediaurlingest.store.ObjectKeys;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * The snapshot workflow's steps (routes/workflows/snapshot.camel.yaml): one frame (at 1 s, or at
 * 10% of media shorter than 10 s), taken with ffmpeg from a local copy of the stored object (the
 * tool is never given a URL: see MediaTool); an aws2-s3 endpoint stores it beside the media as
 * media/{MediaId}-snapshot.jpg; it becomes the media's cover when the client gave none.
 */
public final class SnapshotMaker {

    private final MediaRepository media;
    private final StorageLocations locations;
    private final Path tempDir;
    private final MediaTool ffmpeg;

    /** @param ffmpeg null when ffmpeg is not installed: the workflow then fails with a clear message */
    public SnapshotMaker(MediaRepository media, StorageLocations locations, Path tempDir, MediaTool ffmpeg) {
        this.media = media;
        this.locations = locations;
        this.tempDir = tempDir;
        this.ffmpeg = ffmpeg;
    }

    /**
     * Takes the frame. Body out: the JPEG file; headers: its key, type and length (CamelAwsS3*)
     * and the TargetLocation and TargetBucket it is stored in (the media's own).
     */
    public File frame(@Header(Headers.MEDIA_ID) String mediaId, Exchange exchange) throws IOException, InterruptedException {
        if (ffmpeg == null) {
            throw new IllegalStateException("The snapshot workflow needs ffmpeg, which is not installed on this node.");
        }
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        StorageLocation location = locations.get(m.storageLocation());
        Path source = sourceFile(mediaId);
        Path jpeg = jpegFile(mediaId);
        try {
            Files.createDirectories(tempDir);
            Files.deleteIfExists(source);
            location.download(m.objectKey(), source);
            MediaTool.Result run = ffmpeg.run(List.of("-y", "-ss", at(m)), source,
                    List.of("-frames:v", "1", "-q:v", "3", jpeg.toString()));
            if (!run.succeeded() || !Files.exists(jpeg) || Files.size(jpeg) == 0) {
                throw new IllegalStateException(run.timedOut() ? "ffmpeg did not take a frame within " + ffmpeg.timeout()
                        : "ffmpeg could not take a frame: " + run.stderr());
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
    static String at(MediaAsset m) {
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
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
