package io.mediaurlingest.ops;

import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;

/** Readiness: a storage location's bucket answers (HeadBucket). One check per location. */
final class StoreCheck extends DependencyCheck {

    private final StorageLocations locations;
    private final String name;

    StoreCheck(StorageLocations locations, String name) {
        super("store-" + name);
        this.locations = locations;
        this.name = name;
    }

    @Override
    String probe() {
        StorageLocation location = locations.get(name);
        location.s3().headBucket(b -> b.bucket(location.bucket())
                .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT)));
        return "bucket " + location.bucket() + " at " + location.endpoint() + " answers";
    }
}
