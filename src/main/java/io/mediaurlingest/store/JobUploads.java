package io.mediaurlingest.store;

import java.util.concurrent.ExecutorService;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.IngestWork;
import io.mediaurlingest.job.JobFailure;

/**
 * Writes a job's file to its storage location under a key made of the MediaId. A file larger
 * than a part is usually stored while it arrives (the downloader opens the upload), so that
 * download and upload overlap: as one PUT when its length is known and at most
 * ingest.store.single-put-max, else as a multipart upload with parts in parallel. A small file
 * is one PUT after its download.
 */
public final class JobUploads {

    private final StorageLocations locations;
    private final ExecutorService partPool;
    private final ExecutorService putThreads;
    private final long partSize;
    private final int partsInFlight;
    private final long singlePutMax;

    /**
     * @param partPool threads sending multipart parts, shared by all jobs
     * @param putThreads threads sending streamed PUTs, one each for as long as its download runs
     */
    public JobUploads(StorageLocations locations, ExecutorService partPool, ExecutorService putThreads, long partSize,
            int partsInFlight, long singlePutMax) {
        this.locations = locations;
        this.partPool = partPool;
        this.putThreads = putThreads;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
        this.singlePutMax = singlePutMax;
    }

    public long partSize() {
        return partSize;
    }

    /**
     * Whether the store will compute the file's MD5 itself, so the download need not: its
     * location's ETags are MD5s and the file, of this announced length, goes as one PUT. A job
     * whose client announced an MD5 is checked by the service before the object exists.
     * @param length the source's announced length, or -1
     */
    public boolean computesMd5(IngestWork work, long length) {
        return locations.get(work.job().storageLocation()).md5ETags() && goesAsOnePut(length)
                && work.job().announcedMd5() == null;
    }

    /** A file of this length (-1: unknown) is written by one PUT: small, or known and at most single-put-max. */
    private boolean goesAsOnePut(long length) {
        return length >= 0 && (length <= partSize || length <= singlePutMax);
    }

    /**
     * Begins the upload of a job's file, whose bytes follow as they arrive: one PUT for a known
     * length up to ingest.store.single-put-max, else a multipart upload.
     * @param length the file's length, or -1 when the source did not say
     */
    public StreamingUpload open(IngestWork work, long length) {
        StorageLocation location = locations.get(work.job().storageLocation());
        String key = ObjectKeys.jobObject(work.job().mediaId(), work.fileExtension());
        if (goesAsOnePut(length)) {
            return new StreamedPut(location, key, work.contentType(), work.partialFile(), length, putThreads);
        }
        return new MultipartUpload(location, key, work.contentType(), work.partialFile(), partPool, partSize, partsInFlight);
    }

    public IngestWork store(IngestWork work) {
        StorageLocation location = locations.get(work.job().storageLocation());
        String key = ObjectKeys.jobObject(work.job().mediaId(), work.fileExtension());
        String md5;
        try {
            StreamingUpload upload = work.upload();
            if (upload == null && work.size() > partSize) {
                upload = open(work, work.size());
                work.uploading(upload);
            }
            if (upload != null) {
                md5 = upload.complete(work.size());
                work.uploading(null);
            } else {
                md5 = location.upload(key, work.file(), work.contentType());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(ErrorCode.STORAGE_FAILED, "The upload was interrupted.", true, e);
        } catch (Exception e) {
            work.uploading(null); // complete() aborted it
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            JobFailure failure = StoreFailures.classify(cause);
            if (failure == null) {
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
            throw failure;
        }
        work.stored(key, md5);
        return work;
    }
}
