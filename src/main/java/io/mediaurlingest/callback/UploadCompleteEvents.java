package io.mediaurlingest.callback;

import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.media.MediaFormats;

/** Builds the UploadByURLComplete event of a job that ended, in the shape of the family that submitted it. */
public final class UploadCompleteEvents {

    public static final String EVENT_TYPE = "UploadByURLComplete";

    private UploadCompleteEvents() {
    }

    public static CallbackEvent of(UploadJob job, JobStatus status, Long size, String errorCode, String errorMessage,
            EventShape shape) {
        return new EventBody(EVENT_TYPE, job.jobId(), job.mediaId(), job.appId(), job.userData())
                .put("SourceURL", job.sourceUrl())
                .put("Size", size)
                .putForIce("MediaType", MediaFormats.isKnown(job.fileExtension()) ? MediaFormats.mediaType(job.fileExtension()) : null)
                .outcome(status == JobStatus.SUCCESS, errorCode, errorMessage)
                .toEvent(shape, job.apiFamily());
    }
}
