package io.mediaurlingest.job;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import io.mediaurlingest.ErrorCode;

/**
 * Writes download progress (and renews the job's lease) at most once per interval, so a
 * fast download does not turn into a database write per buffer.
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
        long now = System.nanoTime();
        Long last = lastWrite.get(jobId);
        if (last != null && now - last < intervalNanos) {
            return;
        }
        lastWrite.put(jobId, now);
        if (!jobs.recordProgress(jobId, owner, bytesDone, bytesTotal, jobs.now().plus(lease))) {
            // canceled (possibly through another node), or the lease was lost: stop here
            throw JobFailure.permanent(ErrorCode.CANCELED, "The job is no longer running on this node.");
        }
    }

    public void forget(String jobId) {
        lastWrite.remove(jobId);
    }
}
