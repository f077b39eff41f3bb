package io.mediaurlingest.ops;

import io.mediaurlingest.fetch.DiskReserve;

/** Readiness: ingest.data-dir has at least ingest.fetch.min-free-disk free (downloads wait below it). */
final class DiskSpaceCheck extends DependencyCheck {

    private final DiskReserve reserve;

    DiskSpaceCheck(DiskReserve reserve) {
        super("disk-space");
        this.reserve = reserve;
    }

    @Override
    String probe() throws java.io.IOException {
        long free = reserve.free();
        String seen = free + " bytes free under " + reserve.dataDir().toAbsolutePath() + " (at least "
                + reserve.minFree() + " kept free)";
        if (free < reserve.minFree()) {
            throw new java.io.IOException(seen);
        }
        return seen;
    }
}
