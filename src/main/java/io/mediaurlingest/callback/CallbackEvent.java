package io.mediaurlingest.callback;

import io.mediaurlingest.ApiFamily;

/**
 * One event in the outbox: where it goes (may be null: no receiver), the JSON body sent, and the
 * family whose shape that body has (which also names the signature headers of a delivery).
 */
public record CallbackEvent(String eventId, String eventType, String jobId, String mediaId, String appId,
        String callbackUrl, String payload, ApiFamily format) {
}
