package io.mediaurlingest.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.Header;

/**
 * The snapshot workflow's step: one frame (at 1 s, or at 10% of media shorter than 10 s),
 * taken with ffmpeg from the stored object, stored as JPEG beside it, and made the media's
 * cover when the client gave none.
 */
public final class SnapshotMaker {

    private final MediaRepository media;
    private final StorageLocations locations;
    private final Path tempDir;
    private final String ffmpeg;

    public SnapshotMaker(MediaRepository media, StorageLocations locations, Path tempDir, String ffmpeg) {
        this.media = media;
        this.locations = locations;
        this.tempDir = tempDir;
        this.ffmpeg = ffmpeg;
    }

    public String snapshot(@Header(WorkflowRunner.MEDIA_ID) String mediaId) throws IOException, InterruptedException {
        if (ffmpeg == null) {
            throw new IllegalStateException("The snapshot workflow needs ffmpeg, which is not installed on this node.");
        }
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        StorageLocation location = locations.get(m.storageLocation());
        String input = location.presignGet(m.objectKey(), Duration.ofMinutes(30));
        Path jpeg = Files.createDirectories(tempDir).resolve(mediaId + "-snapshot.jpg");
        try {
            Process process = new ProcessBuilder(ffmpeg, "-v", "error", "-y", "-ss", at(m), "-i", input,
                    "-frames:v", "1", "-q:v", "3", jpeg.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(jpeg)
                    || Files.size(jpeg) == 0) {
                process.destroyForcibly();
                throw new IllegalStateException("ffmpeg could not take a frame: " + output.strip());
            }
            String key = "media/" + mediaId + "-snapshot.jpg";
            location.upload(key, jpeg, "image/jpeg");
            String coverUrl = location.objectUrl(key);
            if (m.coverUrl() == null) {
                media.setCoverUrl(mediaId, coverUrl);
            }
            return coverUrl;
        } finally {
            Files.deleteIfExists(jpeg);
        }
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
