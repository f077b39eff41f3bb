package io.mediaurlingest.job;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import io.mediaurlingest.ErrorCode;

/**
 * Writes download progress (and renews the job's lease) once per interval, the first an interval
 * after the download began, so a fast download does not turn into a database write per buffer
 * and a small one into none at all (its lease is young; renew-job-leases keeps it so).
 */
public final class JobProgress {

    private final JobRepository jobs;
    private final String owner;
    private final Duration lease;
    private final long intervalNanos;
    private final ConcurrentHashMap<String, Long> lastWrite = new ConcurrentHashMap<>();

    public JobProgress(JobRepository jobs, String owner, Duration lease, Duration interval) {
        this.jobs = jobs;
        this.owner = owner;
        this.lease = lease;
        this.intervalNanos = interval.toNanos();
    }

    public void report(String jobId, long bytesDone, Long bytesTotal) {
        report(jobId, bytesDone, bytesTotal, null, null);
    }

    /** @param segmentsDone, segmentsTotal an HLS presentation's segments fetched, of all; null for a file */
    public void report(String jobId, long bytesDone, Long bytesTotal, Integer segmentsDone, Integer segmentsTotal) {
        long now = System.nanoTime();
        Long last = lastWrite.putIfAbsent(jobId, now);
        if (last == null || now - last < intervalNanos) {
            return; // the first write comes an interval into the download: a small file needs none
        }
        lastWrite.put(jobId, now);
        if (!jobs.recordProgress(jobId, owner, bytesDone, bytesTotal, segmentsDone, segmentsTotal, jobs.now().plus(lease))) {
            // canceled (possibly through another node), or the lease was lost: stop here
            throw JobFailure.permanent(ErrorCode.CANCELED, "The job is no longer running on this node.");
        }
    }

    public void forget(String jobId) {
        lastWrite.remove(jobId);
    }
}
