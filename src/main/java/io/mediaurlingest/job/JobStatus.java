package io.mediaurlingest.job;

/** The states of one URL's job, as ICE names them. */
public enum JobStatus {
    PENDING, PROCESSING, SUCCESS, FAIL, CANCELED;

    public boolean isFinished() {
        return this == SUCCESS || this == FAIL || this == CANCELED;
    }
}
