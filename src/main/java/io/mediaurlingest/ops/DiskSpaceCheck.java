package io.mediaurlingest.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Readiness: ingest.data-dir has at least ingest.fetch.min-free-disk free. */
final class DiskSpaceCheck extends DependencyCheck {

    private final Path dataDir;
    private final long minFree;

    DiskSpaceCheck(Path dataDir, long minFree) {
        super("disk-space");
        this.dataDir = dataDir;
        this.minFree = minFree;
    }

    @Override
    String probe() throws java.io.IOException {
        Files.createDirectories(dataDir);
        long free = Files.getFileStore(dataDir).getUsableSpace();
        String seen = free + " bytes free under " + dataDir.toAbsolutePath() + " (at least " + minFree + " wanted)";
        if (free < minFree) {
            throw new java.io.IOException(seen);
        }
        return seen;
    }
}
