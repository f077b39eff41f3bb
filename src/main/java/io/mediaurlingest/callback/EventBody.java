package io.mediaurlingest.callback;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;

/**
 * What an event says (type, time, job, media, success or fail with the error, the caller's
 * Extend passed back), written in the shape of the family its receiver expects:
 * <ul>
 * <li>ICE: {"EventType","UserId","EventTime","MessageBody":{"Status":"Success"|"Fail","JobId","MediaId",
 * …,"AppId","UserData","Extend"}}, as ICE's event list shows it;</li>
 * <li>VOD: flat {"EventTime","EventType","VideoId","JobId",…,"Status":"success"|"fail","Extend"}, as
 * VOD's UploadByURLComplete shows it (the MediaId is VOD's VideoId).</li>
 * </ul>
 * Sizes are strings in both, as both vendors send them.
 */
public final class EventBody {

    private final String eventType;
    private final String jobId;
    private final String mediaId;
    private final String appId;
    private final String userDataText;
    private final JsonNode userData;
    private final String eventTime = Ids.iso(Ids.now());
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final Map<String, String> iceFields = new LinkedHashMap<>();
    private boolean success;
    private String errorCode;
    private String errorMessage;

    public EventBody(String eventType, String jobId, String mediaId, String appId, String userData) {
        this.eventType = eventType;
        this.jobId = jobId;
        this.mediaId = mediaId;
        this.appId = appId;
        this.userDataText = userData;
        this.userData = Json.readStored(userData);
    }

    /** A field of the event, in both shapes (left out when null). */
    public EventBody put(String field, Object value) {
        if (value != null) {
            fields.put(field, String.valueOf(value));
        }
        return this;
    }

    /** A field that only ICE's MessageBody has (MediaType: VOD's event has none). */
    public EventBody putForIce(String field, Object value) {
        if (value != null) {
            iceFields.put(field, String.valueOf(value));
        }
        return this;
    }

    /** Success, or fail with ErrorCode and ErrorMessage. */
    public EventBody outcome(boolean success, String errorCode, String errorMessage) {
        this.success = success;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        return this;
    }

    /** The outbox row in the shape for work submitted by this family, to UserData's MessageCallback.CallbackURL. */
    public CallbackEvent toEvent(EventShape shape, ApiFamily submittedBy) {
        ApiFamily format = shape.formatFor(submittedBy);
        ObjectNode body = format == ApiFamily.ICE ? iceEnvelope(shape.userId()) : vodBody();
        String callbackUrl = userData.path("MessageCallback").path("CallbackURL").asText(null);
        return new CallbackEvent(Ids.newId(), eventType, jobId, mediaId, appId, callbackUrl, Json.write(body), format);
    }

    private ObjectNode iceEnvelope(long userId) {
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.put("EventType", eventType);
        envelope.put("UserId", userId);
        envelope.put("EventTime", eventTime);
        ObjectNode message = envelope.putObject("MessageBody");
        message.put("Status", success ? "Success" : "Fail");
        message.put("JobId", jobId);
        message.put("MediaId", mediaId);
        fields.forEach(message::put);
        iceFields.forEach(message::put);
        putIfPresent(message, "AppId", appId);
        putIfPresent(message, "ErrorCode", errorCode);
        putIfPresent(message, "ErrorMessage", errorMessage);
        putIfPresent(message, "UserData", userDataText);
        extend(message);
        return envelope;
    }

    private ObjectNode vodBody() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("EventTime", eventTime);
        body.put("EventType", eventType);
        body.put("VideoId", mediaId);
        body.put("JobId", jobId);
        fields.forEach(body::put);
        body.put("Status", success ? "success" : "fail");
        putIfPresent(body, "ErrorCode", errorCode);
        putIfPresent(body, "ErrorMessage", errorMessage);
        extend(body);
        return body;
    }

    /** UserData's Extend, passed back as the caller gave it. */
    private void extend(ObjectNode node) {
        if (userData.has("Extend")) {
            node.set("Extend", userData.get("Extend"));
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
