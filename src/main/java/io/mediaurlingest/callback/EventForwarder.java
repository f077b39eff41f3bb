package io.mediaurlingest.callback;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Also hands every event to a Camel endpoint chosen by the operator (ingest.callback.endpoint,
 * e.g. jms:queue:media-events), for an ESB. Never an endpoint named by a caller. The HTTP
 * delivery stays the durable one; this copy is sent once, when the event is written.
 */
public final class EventForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(EventForwarder.class);

    private final EventOutbox outbox;
    private final ProducerTemplate producer;
    private final String endpointUri;

    public EventForwarder(EventOutbox outbox, ProducerTemplate producer, String endpointUri) {
        this.outbox = outbox;
        this.producer = producer;
        this.endpointUri = endpointUri;
    }

    /** Body: an event id. */
    public void forward(String eventId) {
        if (endpointUri == null || eventId == null) {
            return;
        }
        try {
            outbox.payload(eventId).ifPresent(payload -> producer.sendBodyAndHeader(endpointUri, payload, "EventId", eventId));
        } catch (RuntimeException e) {
            LOG.warn("Event {} could not be handed to {}: {}", eventId, endpointUri, e.getMessage());
        }
    }
}
