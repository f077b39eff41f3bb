package io.mediaurlingest.job;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.mediaurlingest.ErrorCode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place that decides whether a failure of the ingest route is worth another attempt.
 * Transient (timeouts, resets, 408/429/5xx, store 5xx and throttling) is retried by Camel's
 * redelivery while the job's attempts, counted in the database, stay under the limit;
 * permanent (other 4xx, not media, too large, digest mismatch, refused address) is not.
 */
public final class RetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);
    private static final Pattern RETRY_AFTER = Pattern.compile("Retry-After: (\\d+)");

    private final JobRepository jobs;
    private final int maxAttempts;
    private final long maxDelayMillis;

    public RetryPolicy(JobRepository jobs, int maxAttempts, long maxDelayMillis) {
        this.jobs = jobs;
        this.maxAttempts = maxAttempts;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** Maps any exception of the ingest route to a JobFailure with its ErrorCode and kind. */
    public static JobFailure classify(Throwable cause) {
        if (cause instanceof JobFailure failure) {
            return failure;
        }
        if (cause instanceof AwsServiceException s3) {
            int status = s3.statusCode();
            boolean transientFailure = status >= 500 || status == 408 || status == 429 || s3.isThrottlingException();
            return new JobFailure(ErrorCode.STORAGE_FAILED, "The store answered HTTP " + status + ": "
                    + s3.awsErrorDetails().errorMessage(), transientFailure, cause);
        }
        if (cause instanceof SdkException || cause instanceof IOException) {
            return new JobFailure(ErrorCode.STORAGE_FAILED, "The store could not be reached: " + cause.getMessage(), true, cause);
        }
        return new JobFailure(ErrorCode.INTERNAL_JOB_ERROR, "Unexpected failure; see the service log.", false, cause);
    }

    /**
     * retryWhile of the ingest route's redelivery: true when the failure is transient and the
     * job has attempts left; then the attempt is counted before it is made. A source's
     * Retry-After (seconds) lengthens the wait.
     */
    public boolean shouldRetry(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IngestWork work = exchange.getProperty(JobLifecycle.WORK, IngestWork.class);
        JobFailure failure = classify(cause);
        if (work == null || !failure.isTransient()) {
            return false;
        }
        int attempts = jobs.countAttempt(work.job().jobId(), maxAttempts);
        if (attempts < 0) {
            return false; // spent, canceled or no longer ours
        }
        Matcher retryAfter = RETRY_AFTER.matcher(String.valueOf(failure.getMessage()));
        if (retryAfter.find()) {
            long millis = Math.min(Long.parseLong(retryAfter.group(1)) * 1000, maxDelayMillis);
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, millis);
        } else {
            exchange.getMessage().removeHeader(Exchange.REDELIVERY_DELAY); // back to the exponential backoff
        }
        LOG.info("Job {} attempt {} of {} after: {} {}", work.job().jobId(), attempts, maxAttempts,
                failure.errorCode().code(), failure.getMessage());
        return true;
    }
}
