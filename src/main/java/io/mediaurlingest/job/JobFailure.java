package io.mediaurlingest.job;

import io.mediaurlingest.ErrorCode;

/**
 * Why a job cannot go on: the ErrorCode and message reported to the client, and whether
 * trying again later could help (transient) or not (permanent).
 */
public class JobFailure extends RuntimeException {

    private final ErrorCode errorCode;
    private final boolean transientFailure;
    private final java.time.Duration retryAfter;
    private final String waitingFor;

    public JobFailure(ErrorCode errorCode, String message, boolean transientFailure, Throwable cause) {
        this(errorCode, message, transientFailure, cause, null, null);
    }

    private JobFailure(ErrorCode errorCode, String message, boolean transientFailure, Throwable cause,
            java.time.Duration retryAfter, String waitingFor) {
        super(message, cause);
        this.errorCode = errorCode;
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
        this.waitingFor = waitingFor;
    }

    /** A transient failure whose source said when to come back (Retry-After; null: it did not say). */
    public static JobFailure retryLater(ErrorCode code, String message, java.time.Duration retryAfter) {
        return new JobFailure(code, message, true, null, retryAfter, null);
    }

    public static JobFailure permanent(ErrorCode code, String message) {
        return new JobFailure(code, message, false, null);
    }

    public static JobFailure transientFailure(ErrorCode code, String message, Throwable cause) {
        return new JobFailure(code, message, true, cause);
    }

    /**
     * The job cannot go on yet for want of something on this node (DiskSpace): it waits and tries
     * again, without spending an attempt, however long that takes.
     */
    public static JobFailure waitFor(String what, String message) {
        // never ends a job, so its ErrorCode is never reported
        return new JobFailure(ErrorCode.INTERNAL_JOB_ERROR, message, true, null, null, what);
    }

    /** What the job waits for (see {@link #waitFor}), or null for a failure. */
    public String waitingFor() {
        return waitingFor;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    /** How long the source asked to wait before the next attempt, or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }
}
