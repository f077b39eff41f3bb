package io.mediaurlingest.store;

import java.io.IOException;

import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.RetryPolicy;
import software.amazon.awssdk.core.exception.SdkException;

/** Writes a job's downloaded file to its storage location under a key made of the MediaId. */
public final class ObjectStore {

    private final StorageLocations locations;

    public ObjectStore(StorageLocations locations) {
        this.locations = locations;
    }

    public static String objectKey(String mediaId, String extension) {
        return "media/" + mediaId + "." + extension;
    }

    public IngestWork store(IngestWork work) {
        StorageLocation location = locations.get(work.job().storageLocation());
        String key = objectKey(work.job().mediaId(), work.job().fileExtension());
        try {
            location.upload(key, work.file(), work.size(), work.contentType());
        } catch (IOException | SdkException e) {
            throw RetryPolicy.classify(e);
        }
        work.stored(key);
        return work;
    }
}
