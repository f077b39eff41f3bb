package io.mediaurlingest.callback;

/** One event in the outbox: where it goes (may be null: no receiver) and the JSON body sent. */
public record CallbackEvent(String eventId, String eventType, String jobId, String mediaId, String appId,
        String callbackUrl, String payload) {
}
