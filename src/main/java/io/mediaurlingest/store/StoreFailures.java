package io.mediaurlingest.store;

import java.io.IOException;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.JobFailure;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How the store's own failures count for a job: 5xx, 408, 429 and throttling are transient (the
 * store is busy or away for a while), any other answer is final; a store that cannot be reached
 * is transient. All end, once attempts are spent, as StorageFailed.
 */
public final class StoreFailures {

    private StoreFailures() {
    }

    /** The JobFailure of a store exception (AWS SDK, or I/O on the way to the store); null for anything else. */
    public static JobFailure classify(Throwable cause) {
        if (cause instanceof AwsServiceException s3) {
            int status = s3.statusCode();
            boolean transientFailure = status >= 500 || status == 408 || status == 429 || s3.isThrottlingException();
            return new JobFailure(ErrorCode.STORAGE_FAILED, "The store answered HTTP " + status + ": "
                    + s3.awsErrorDetails().errorMessage(), transientFailure, cause);
        }
        if (cause instanceof SdkException || cause instanceof IOException) {
            return new JobFailure(ErrorCode.STORAGE_FAILED, "The store could not be reached: " + cause.getMessage(), true, cause);
        }
        return null;
    }
}
