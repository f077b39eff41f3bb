package io.mediaurlingest.callback;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the delivery route around its HTTP call: claim an event and shape the
 * request; then record the answer (2xx delivered, anything else retried later).
 */
public final class CallbackDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackDelivery.class);
    private static final String EVENT_ID = "CallbackEventId";

    private final EventOutbox outbox;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration retryDelay;

    public CallbackDelivery(EventOutbox outbox, Duration timeout, int maxAttempts, Duration retryDelay) {
        this.outbox = outbox;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
    }

    /** Body: the event id. Leaves the JSON body and the HTTP headers of the POST, or a null body when there is nothing to send. */
    public void prepare(Exchange exchange) {
        String eventId = exchange.getMessage().getBody(String.class);
        Optional<CallbackEvent> claimed = outbox.claim(eventId, timeout.multipliedBy(3));
        exchange.getMessage().removeHeaders("*");
        if (claimed.isEmpty()) {
            exchange.getMessage().setBody(null);
            return;
        }
        CallbackEvent event = claimed.get();
        exchange.setProperty(EVENT_ID, event.eventId());
        exchange.getMessage().setHeader(Exchange.HTTP_URI, event.callbackUrl());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setBody(event.payload());
    }

    public void recordResponse(Exchange exchange) {
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        exchange.getMessage().removeHeaders("*");
        if (status != null && status >= 200 && status < 300) {
            outbox.delivered(eventId);
            LOG.debug("Event {} delivered (HTTP {})", eventId, status);
        } else {
            outbox.attemptFailed(eventId, "HTTP " + status, maxAttempts, retryDelay);
            LOG.info("Event {} not accepted (HTTP {}); will retry", eventId, status);
        }
    }

    public void recordError(Exchange exchange) {
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (eventId == null) {
            LOG.error("Callback delivery failed before an event was claimed", cause);
            return;
        }
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        outbox.attemptFailed(eventId, reason, maxAttempts, retryDelay);
        LOG.info("Event {} not delivered ({}); will retry", eventId, reason);
    }

    public List<String> dueEventIds() {
        return outbox.dueEventIds(500);
    }
}
