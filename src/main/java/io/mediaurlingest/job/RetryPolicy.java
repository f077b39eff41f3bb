package io.mediaurlingest.job;

import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.StoreFailures;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a failure of the ingest route is worth another attempt.
 * Transient (timeouts, resets, 408/429/5xx, store 5xx and throttling) is retried by Camel's
 * redelivery while the job's attempts, counted in the database, stay under the limit;
 * permanent (other 4xx, not media, too large, digest mismatch, refused address) is not.
 */
public final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final JobRepository jobs;
    private final int maxAttempts;
    private final long maxDelayMillis;
    private final IngestMetrics metrics;
    /** How often a job that waits for the database tries again. */
    private static final long DATABASE_RETRY_MILLIS = 2_000;
    /** How often a job that waits (for disk space) looks again. */
    private static final long WAIT_RETRY_MILLIS = 5_000;

    public RetryPolicy(JobRepository jobs, int maxAttempts, long maxDelayMillis, IngestMetrics metrics) {
        this.metrics = metrics;
        this.jobs = jobs;
        this.maxAttempts = maxAttempts;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** The step is tried again after a fixed pause, however often, and no attempt is counted. */
    private boolean waitWithoutAttempt(Exchange exchange, String why, long pauseMillis, Object jobId, String message) {
        metrics.retry(why);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, Math.min(pauseMillis, maxDelayMillis));
        LOG.warn("Job {} waits ({}): {}", jobId, why, message);
        return true;
    }

    /**
     * Maps any exception of the ingest route to a JobFailure with its ErrorCode and kind: each
     * capability classifies its own failures (the source's in fetch, the store's in store);
     * whatever is left is an internal error, never retried.
     */
    public static JobFailure classify(Throwable cause) {
        if (cause instanceof JobFailure failure) {
            return failure;
        }
        JobFailure storeFailure = StoreFailures.classify(cause);
        if (storeFailure != null) {
            return storeFailure;
        }
        return new JobFailure(ErrorCode.INTERNAL_JOB_ERROR, "Unexpected failure; see the service log.", false, cause);
    }

    /**
     * retryWhile of the ingest route's redelivery: true when the failure is transient and the
     * job has attempts left; then the attempt is counted before it is made. A source's
     * Retry-After (seconds) lengthens the wait. A job that waits (for the database, for disk
     * space) is always retried, and spends no attempt.
     */
    public boolean shouldRetry(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IngestWork work = exchange.getProperty(Headers.WORK, IngestWork.class);
        if (Database.isUnavailable(cause)) {
            // nothing can be claimed, counted or ended while the database is away
            return waitWithoutAttempt(exchange, "DatabaseUnavailable", DATABASE_RETRY_MILLIS,
                    work == null ? exchange.getMessage().getBody() : work.job().jobId(), cause.getMessage());
        }
        JobFailure failure = classify(cause);
        if (work != null && failure.waitingFor() != null) {
            // not a failure of the job: it waits (for disk space)
            jobs.markWaiting(work.job().jobId(), failure.waitingFor());
            return waitWithoutAttempt(exchange, "WaitingFor" + failure.waitingFor(), WAIT_RETRY_MILLIS,
                    work.job().jobId(), failure.getMessage());
        }
        if (work == null || !failure.isTransient()) {
            return false;
        }
        int attempts = jobs.countAttempt(work.job().jobId(), maxAttempts);
        if (attempts < 0) {
            return false; // spent, canceled or no longer ours
        }
        if (failure.retryAfter() != null) {
            long millis = Math.min(failure.retryAfter().toMillis(), maxDelayMillis);
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, millis);
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY); // back to the exponential backoff
        }
        metrics.retry(failure.errorCode().code());
        LOG.info("Job {} attempt {} of {} after: {} {}", work.job().jobId(), attempts, maxAttempts,
                failure.errorCode().code(), failure.getMessage());
        return true;
    }
}
