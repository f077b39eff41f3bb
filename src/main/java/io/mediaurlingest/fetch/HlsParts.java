package io.mediaurlingest.fetch;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The files an HLS presentation's segments are fetched into (one per track: the variant, and
 * its separate audio when it has one), and how far each got. An attempt that fails partway
 * leaves them; the next one cuts each file back to its last whole segment and goes on from there.
 */
public final class HlsParts {

    private final List<Path> files;
    private final int[] segmentsDone;
    private final long[] bytesDone;

    HlsParts(List<Path> files) {
        this.files = List.copyOf(files);
        this.segmentsDone = new int[files.size()];
        this.bytesDone = new long[files.size()];
    }

    public List<Path> files() {
        return files;
    }

    int segmentsDone(int track) {
        return segmentsDone[track];
    }

    long bytesDone() {
        long sum = 0;
        for (long b : bytesDone) {
            sum += b;
        }
        return sum;
    }

    int segmentsDone() {
        int sum = 0;
        for (int s : segmentsDone) {
            sum += s;
        }
        return sum;
    }

    /** A segment (or init section) of the track is whole in its file, which is now this long. */
    void segmentDone(int track, long fileLength) {
        segmentsDone[track]++;
        bytesDone[track] = fileLength;
    }

    /** Cuts the track's file back to its last whole segment (what a failed fetch wrote after it goes). */
    void truncate(int track) throws IOException {
        try (FileChannel channel = FileChannel.open(files.get(track), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.truncate(bytesDone[track]);
        }
    }

    public void delete() {
        files.forEach(SourceDownloader::deleteQuietly);
    }
}
