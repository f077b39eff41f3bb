package io.mediaurlingest.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;

/**
 * What every event body and outbox row share: type, time, job, media, success or fail with the
 * error, the caller's Extend passed back, and the receiver named in the job's UserData.
 */
public final class EventBody {

    private final String eventType;
    private final String jobId;
    private final String mediaId;
    private final String appId;
    private final JsonNode userData;
    private final ObjectNode body = Json.MAPPER.createObjectNode();

    public EventBody(String eventType, String jobId, String mediaId, String appId, String userData) {
        this.eventType = eventType;
        this.jobId = jobId;
        this.mediaId = mediaId;
        this.appId = appId;
        this.userData = Json.readStored(userData);
        body.put("EventType", eventType);
        body.put("EventTime", Ids.iso(Ids.now()));
        body.put("JobId", jobId);
        body.put("MediaId", mediaId);
    }

    public EventBody put(String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
        return this;
    }

    public EventBody put(String field, Long value) {
        if (value != null) {
            body.put(field, value);
        }
        return this;
    }

    /** Status success or fail; ErrorCode and ErrorMessage when it failed. */
    public EventBody outcome(boolean success, String errorCode, String errorMessage) {
        body.put("Status", success ? "success" : "fail");
        return put("ErrorCode", errorCode).put("ErrorMessage", errorMessage);
    }

    /** The outbox row: Extend from UserData passed back, to UserData's MessageCallback.CallbackURL. */
    public CallbackEvent toEvent() {
        if (userData.has("Extend")) {
            body.set("Extend", userData.get("Extend"));
        }
        String callbackUrl = userData.path("MessageCallback").path("CallbackURL").asText(null);
        return new CallbackEvent(Ids.newId(), eventType, jobId, mediaId, appId, callbackUrl, Json.write(body));
    }
}
