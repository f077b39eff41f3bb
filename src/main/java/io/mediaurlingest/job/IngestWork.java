package io.mediaurlingest.job;

import java.nio.file.Path;

/**
 * One job on its way through the ingest route: the job as claimed, then what each step
 * learned (downloaded file and digests, detected type, object key).
 */
public final class IngestWork {

    /** How an interrupted download can continue: the source's validator for If-Range. */
    public record ResumePoint(String validator) {
    }

    private final UploadJob job;
    private final long deadlineNanos;
    private ResumePoint resumePoint;
    private Path file;
    private long size;
    private String md5;
    private String sha256;
    private String contentType;
    private String objectKey;
    private io.mediaurlingest.media.ProbeResult probe;
    private Path partialFile;
    private io.mediaurlingest.store.StreamingUpload upload;
    private boolean streamingRefused;
    private String fileExtension;
    private io.mediaurlingest.fetch.HlsParts hlsParts;
    private final JobProgress progress;

    public IngestWork(UploadJob job, java.time.Duration deadline, JobProgress progress) {
        this.job = job;
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
        this.progress = progress;
    }

    /**
     * Bytes downloaded so far (and in all, when known): written to the job row now and then,
     * which also renews its lease; throws JobFailure CANCELED when the job is no longer ours.
     */
    public void progressed(long bytesDone, Long bytesTotal) {
        progress.report(job.jobId(), bytesDone, bytesTotal);
    }

    /** HLS progress: bytes and segments fetched so far, of how many segments. */
    public void progressed(long bytesDone, int segmentsDone, int segmentsTotal) {
        progress.report(job.jobId(), bytesDone, null, segmentsDone, segmentsTotal);
    }

    /** An HLS presentation (an .m3u8 URL): its playlist and segments are fetched, then remuxed into one MP4. */
    public boolean isHls() {
        return "m3u8".equals(job.fileExtension());
    }

    /** The extension of the file as stored: the job's, or mp4 once an HLS presentation was remuxed. */
    public String fileExtension() {
        return fileExtension != null ? fileExtension : job.fileExtension();
    }

    /** The HLS segments fetched so far, kept across the attempts of this job on this node. */
    public io.mediaurlingest.fetch.HlsParts hlsParts() {
        return hlsParts;
    }

    public void hlsParts(io.mediaurlingest.fetch.HlsParts parts) {
        this.hlsParts = parts;
    }

    /** The presentation's parts became one file of this extension (the parts are gone). */
    public void remuxed(Path file, String extension, long size, String md5, String sha256) {
        downloaded(file, size, md5, sha256);
        this.fileExtension = extension;
        this.hlsParts = null;
    }

    /** When the whole job must have finished downloading (ingest.fetch.deadline after the claim). */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public ResumePoint resumePoint() {
        return resumePoint;
    }

    public void resumeAt(ResumePoint point) {
        this.resumePoint = point;
    }

    public UploadJob job() {
        return job;
    }

    public Path file() {
        return file;
    }

    public long size() {
        return size;
    }

    public String md5() {
        return md5;
    }

    public String sha256() {
        return sha256;
    }

    public String contentType() {
        return contentType;
    }

    public String objectKey() {
        return objectKey;
    }

    public void downloaded(Path file, long size, String md5, String sha256) {
        this.file = file;
        this.size = size;
        this.md5 = md5;
        this.sha256 = sha256;
    }

    public void detected(String contentType) {
        this.contentType = contentType;
    }

    /** The file the download is writing to (complete once downloaded() is called). */
    public Path partialFile() {
        return partialFile;
    }

    public void writingTo(Path file) {
        this.partialFile = file;
    }

    /** The upload under way while the file arrives, or null. */
    public io.mediaurlingest.store.StreamingUpload upload() {
        return upload;
    }

    public void uploading(io.mediaurlingest.store.StreamingUpload upload) {
        this.upload = upload;
    }

    /** After an interrupted attempt the file is uploaded once complete, not while it arrives. */
    public boolean mayStream() {
        return !streamingRefused;
    }

    public void refuseStreaming() {
        this.streamingRefused = true;
    }

    public io.mediaurlingest.media.ProbeResult probe() {
        return probe;
    }

    public void probed(io.mediaurlingest.media.ProbeResult result) {
        this.probe = result;
    }

    /** @param md5 the file's MD5 as the store computed it, when the download did not */
    public void stored(String objectKey, String md5) {
        this.objectKey = objectKey;
        if (this.md5 == null) {
            this.md5 = md5;
        }
    }

    /** Deletes the job's temporary files (the partial download and the finished one). */
    public void discardFiles() {
        io.mediaurlingest.fetch.SourceDownloader.deleteQuietly(partialFile);
        io.mediaurlingest.fetch.SourceDownloader.deleteQuietly(file);
        if (hlsParts != null) {
            hlsParts.delete();
        }
    }

    @Override
    public String toString() {
        return "job " + job.jobId();
    }
}
