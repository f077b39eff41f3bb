package io.mediaurlingest.callback;

import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;

/** Builds the ICE-compatible UploadByURLComplete event of a job that ended. */
public final class UploadCompleteEvents {

    public static final String EVENT_TYPE = "UploadByURLComplete";

    private UploadCompleteEvents() {
    }

    public static CallbackEvent of(UploadJob job, JobStatus status, Long size, String errorCode, String errorMessage) {
        return new EventBody(EVENT_TYPE, job.jobId(), job.mediaId(), job.appId(), job.userData())
                .put("SourceURL", job.sourceUrl())
                .outcome(status == JobStatus.SUCCESS, errorCode, errorMessage)
                .put("Size", size)
                .toEvent();
    }
}
