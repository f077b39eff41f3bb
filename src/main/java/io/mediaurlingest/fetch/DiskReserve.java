package io.mediaurlingest.fetch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space ingest.data-dir keeps (ingest.fetch.min-free-disk): a download starts only when
 * the file it announces fits above it, and one of unknown length stops when it would eat into
 * it. Readiness reads the same figure.
 */
public final class DiskReserve {

    private final Path dataDir;
    private volatile long minFree;

    public DiskReserve(Path dataDir, long minFree) {
        this.dataDir = dataDir;
        this.minFree = minFree;
    }

    /** Bytes free for this process under ingest.data-dir now. */
    public long free() {
        try {
            Files.createDirectories(dataDir);
            return Files.getFileStore(dataDir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when bytes more can be written and the reserve still be left. */
    public boolean hasRoomFor(long bytes) {
        return free() - bytes >= minFree;
    }

    public long minFree() {
        return minFree;
    }

    /** Changes the reserve while the service runs (operators, through JMX or an embedding host; tests). */
    public void setMinFree(long minFree) {
        this.minFree = minFree;
    }

    public Path dataDir() {
        return dataDir;
    }
}
