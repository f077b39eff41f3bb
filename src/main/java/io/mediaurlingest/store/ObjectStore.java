package io.mediaurlingest.store;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.RetryPolicy;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Writes a job's file to its storage location under a key made of the MediaId: one PUT for a
 * small file; for a large one a multipart upload with parts in parallel, usually begun by the
 * downloader while the file was still arriving, so that download and upload overlap.
 */
public final class ObjectStore {

    private final StorageLocations locations;
    private final ExecutorService partPool;
    private final long partSize;
    private final int partsInFlight;

    public ObjectStore(StorageLocations locations, ExecutorService partPool, long partSize, int partsInFlight) {
        this.locations = locations;
        this.partPool = partPool;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
    }

    public static String objectKey(String mediaId, String extension) {
        return "media/" + mediaId + "." + extension;
    }

    public long partSize() {
        return partSize;
    }

    /** Begins the multipart upload of a job's file, whose parts follow as they arrive. */
    public MultipartUpload open(IngestWork work) {
        StorageLocation location = locations.get(work.job().storageLocation());
        return new MultipartUpload(location, objectKey(work.job().mediaId(), work.job().fileExtension()),
                work.contentType(), work.partialFile(), partPool, partsInFlight);
    }

    public IngestWork store(IngestWork work) {
        StorageLocation location = locations.get(work.job().storageLocation());
        String key = objectKey(work.job().mediaId(), work.job().fileExtension());
        try {
            MultipartUpload upload = work.upload();
            if (upload == null && work.size() > partSize) {
                upload = open(work);
                work.uploading(upload);
            }
            if (upload != null) {
                while (work.size() - upload.offset() > partSize) {
                    upload.addPart(partSize);
                }
                upload.complete(work.size());
                work.uploading(null);
            } else {
                location.upload(key, work.file(), work.size(), work.contentType());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RetryPolicy.classify(e);
        } catch (Exception e) {
            work.uploading(null); // complete() aborted it
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw RetryPolicy.classify(cause instanceof IOException || cause instanceof SdkException ? cause : e);
        }
        work.stored(key);
        return work;
    }
}
