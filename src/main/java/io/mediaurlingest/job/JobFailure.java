package io.mediaurlingest.job;

import io.mediaurlingest.ErrorCode;

/**
 * Why a job cannot go on: the ErrorCode and message reported to the client, and whether
 * trying again later could help (transient) or not (permanent).
 */
public class JobFailure extends RuntimeException {

    private final ErrorCode errorCode;
    private final boolean transientFailure;

    public JobFailure(ErrorCode errorCode, String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.transientFailure = transientFailure;
    }

    public static JobFailure permanent(ErrorCode code, String message) {
        return new JobFailure(code, message, false, null);
    }

    public static JobFailure transientFailure(ErrorCode code, String message, Throwable cause) {
        return new JobFailure(code, message, true, cause);
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
