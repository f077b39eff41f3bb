package io.mediaurlingest.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.mediaurlingest.Headers;
import io.mediaurlingest.HostSlots;
import io.mediaurlingest.ops.IngestMetrics;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the delivery route around its HTTP call: claim an event, sign and shape the
 * request; then record the answer (2xx delivered, 410 gone, anything else retried on the
 * schedule, dead-lettered when it is spent).
 */
public final class CallbackDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(CallbackDelivery.class);
    /** Exchange property: System.nanoTime() when the POST went out. */
    private static final String POSTED_AT = "IngestCallbackPostedAt";

    private final EventOutbox outbox;
    private final CallbackSigner signer;
    private final HostSlots receiverSlots;
    /** Cluster mode: deliveries to one receiver host at once on all nodes together (0: this node's own limit). */
    private final int clusterPerHost;
    private final Duration timeout;
    private final List<Duration> schedule;
    private final IngestMetrics metrics;

    public CallbackDelivery(EventOutbox outbox, CallbackSigner signer, HostSlots receiverSlots, int clusterPerHost,
            Duration timeout, List<Duration> schedule, IngestMetrics metrics) {
        this.clusterPerHost = clusterPerHost;
        this.metrics = metrics;
        this.outbox = outbox;
        this.signer = signer;
        this.receiverSlots = receiverSlots;
        this.timeout = timeout;
        this.schedule = List.copyOf(schedule);
    }

    /**
     * Body: the event id. Leaves the JSON body and the HTTP headers of the POST, or a null body
     * when there is nothing to send now (delivered meanwhile, or its receiver's host is at its
     * limit of deliveries: it is postponed a little).
     */
    public void prepare(Exchange exchange) {
        String eventId = exchange.getMessage().getBody(String.class);
        Optional<CallbackEvent> claimed = clusterPerHost > 0
                ? outbox.claimWithinHostCap(eventId, timeout.multipliedBy(3), clusterPerHost)
                : outbox.claim(eventId, timeout.multipliedBy(3));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(null);
        if (claimed.isEmpty()) {
            return;
        }
        CallbackEvent event = claimed.get();
        if (clusterPerHost == 0) {
            if (!receiverSlots.tryAcquire(HostSlots.hostOf(event.callbackUrl()))) {
                outbox.postpone(event.eventId(), Duration.ofSeconds(1));
                return;
            }
            exchange.setProperty(Headers.CALLBACK_TARGET, event.callbackUrl()); // the slot to give back
        }
        exchange.setProperty(Headers.CALLBACK_EVENT_ID, event.eventId());
        exchange.getMessage().setHeader(Exchange.HTTP_URI, event.callbackUrl());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        signer.headers(event.eventId(), event.callbackUrl(), event.payload(), Instant.now().getEpochSecond(), event.format())
                .forEach(exchange.getMessage()::setHeader);
        exchange.getMessage().setBody(event.payload());
        exchange.setProperty(POSTED_AT, System.nanoTime());
    }

    public void recordResponse(Exchange exchange) {
        String eventId = exchange.getProperty(Headers.CALLBACK_EVENT_ID, String.class);
        release(exchange);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        exchange.getMessage().removeHeaders("*");
        Duration roundTrip = roundTrip(exchange);
        if (status != null && status >= 200 && status < 300) {
            metrics.callbackAttempt("delivered", roundTrip);
            outbox.delivered(eventId);
            LOG.debug("Event {} delivered (HTTP {})", eventId, status);
        } else if (status != null && status == 410) {
            metrics.callbackAttempt("gone", roundTrip);
            outbox.gone(eventId, "HTTP 410");
            LOG.info("Event {} refused with 410 Gone; no more attempts", eventId);
        } else {
            metrics.callbackAttempt("refused", roundTrip);
            outbox.attemptFailed(eventId, "HTTP " + status, schedule);
            LOG.info("Event {} not accepted (HTTP {}); will retry", eventId, status);
        }
    }

    public void recordError(Exchange exchange) {
        String eventId = exchange.getProperty(Headers.CALLBACK_EVENT_ID, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (eventId == null) {
            LOG.error("Callback delivery failed before an event was claimed", cause);
            return;
        }
        release(exchange);
        metrics.callbackAttempt("failed", roundTrip(exchange));
        String reason = cause == null ? "unknown error" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        outbox.attemptFailed(eventId, reason, schedule);
        LOG.info("Event {} not delivered ({}); will retry", eventId, reason);
    }

    private static Duration roundTrip(Exchange exchange) {
        Long postedAt = exchange.getProperty(POSTED_AT, Long.class);
        return postedAt == null ? null : Duration.ofNanos(System.nanoTime() - postedAt);
    }

    private void release(Exchange exchange) {
        String target = exchange.getProperty(Headers.CALLBACK_TARGET, String.class);
        if (target != null) {
            receiverSlots.release(HostSlots.hostOf(target));
            exchange.removeProperty(Headers.CALLBACK_TARGET);
        }
    }

    public List<String> dueEventIds() {
        return outbox.dueEventIds(500);
    }
}
