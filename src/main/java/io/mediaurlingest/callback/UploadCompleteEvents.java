package io.mediaurlingest.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;

/** Builds the ICE-compatible UploadByURLComplete event of a job that ended. */
public final class UploadCompleteEvents {

    public static final String EVENT_TYPE = "UploadByURLComplete";

    private UploadCompleteEvents() {
    }

    public static CallbackEvent of(UploadJob job, JobStatus status, Long size, String errorCode, String errorMessage) {
        JsonNode userData = Json.readStored(job.userData());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("EventType", EVENT_TYPE);
        body.put("EventTime", Ids.iso(Ids.now()));
        body.put("JobId", job.jobId());
        body.put("MediaId", job.mediaId());
        body.put("SourceURL", job.sourceUrl());
        body.put("Status", status == JobStatus.SUCCESS ? "success" : "fail");
        if (size != null) {
            body.put("Size", size);
        }
        if (errorCode != null) {
            body.put("ErrorCode", errorCode);
            body.put("ErrorMessage", errorMessage);
        }
        if (userData.has("Extend")) {
            body.set("Extend", userData.get("Extend"));
        }
        String callbackUrl = userData.path("MessageCallback").path("CallbackURL").asText(null);
        return new CallbackEvent(Ids.newId(), EVENT_TYPE, job.jobId(), job.mediaId(), job.appId(), callbackUrl,
                Json.write(body));
    }

}
