package io.mediaurlingest.store;

/**
 * An upload of a job's file that runs while the file is still arriving on disk: the
 * downloader hands over what it has written, and the object exists only once the job calls
 * {@link #complete} after every check has passed.
 */
public interface StreamingUpload {

    /** The downloader has written this many bytes of the file (waits while too much is in flight). */
    void handOver(long bytesOnDisk) throws InterruptedException;

    /**
     * Sends what is left of the file and finishes the object; aborts the upload if that fails.
     * @return the object's MD5 (hex) when the store computed it and says so in its ETag, else null
     */
    String complete(long totalSize) throws Exception;

    /** Stops the upload: the store keeps neither an object nor any part of it. */
    void abort();
}
