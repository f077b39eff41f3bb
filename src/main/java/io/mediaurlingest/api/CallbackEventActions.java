package io.mediaurlingest.api;

import io.mediaurlingest.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediaurlingest.Ids;
import io.mediaurlingest.callback.EventOutbox;
import org.apache.camel.Exchange;

/**
 * ListCallbackEvents and RetryCallbackEvents (beyond ICE): the outbox as receivers of a
 * migration need it, dead letters included, and a way to send them again.
 */
public final class CallbackEventActions {

    static final Set<String> STATUSES = Set.of("PENDING", "DELIVERED", "DEAD", "GONE", "NO_RECEIVER");
    static final int MAX_EVENTS = 100;

    private final EventOutbox outbox;

    public CallbackEventActions(EventOutbox outbox) {
        this.outbox = outbox;
    }

    public record Event(@JsonProperty("EventId") String eventId, @JsonProperty("EventType") String eventType,
            @JsonProperty("JobId") String jobId, @JsonProperty("MediaId") String mediaId,
            @JsonProperty("CallbackURL") String callbackUrl, @JsonProperty("Status") String status,
            @JsonProperty("Attempts") int attempts, @JsonProperty("LastError") String lastError,
            @JsonProperty("CreationTime") String creationTime, @JsonProperty("NextAttemptTime") String nextAttemptTime,
            @JsonProperty("DeliveredTime") String deliveredTime) {
    }

    public record ListReply(@JsonProperty("CallbackEvents") List<Event> events, @JsonProperty("NextToken") String nextToken,
            @JsonProperty("MaxResults") int maxResults) {
    }

    public record RetryReply(@JsonProperty("RetriedEvents") List<String> retried,
            @JsonProperty("IgnoredEvents") List<String> ignored) {
    }

    public ListReply list(RpcRequest request) {
        String status = request.optional("Status").orElse(null);
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("Status must be one of " + String.join(", ", STATUSES.stream().sorted().toList()) + ".");
        }
        int max = request.optional("MaxResults").map(v -> MediaActions.parseInt("MaxResults", v)).orElse(20);
        if (max < 1 || max > MAX_EVENTS) {
            throw ApiException.invalid("MaxResults must be between 1 and " + MAX_EVENTS + ".");
        }
        PageToken after = PageToken.of(request).orElse(null);
        List<EventOutbox.Row> rows = outbox.list(status, request.optional("JobId").orElse(null), request.appScope(),
                after == null ? null : after.createdAt(), after == null ? null : after.id(), max + 1);
        String next = null;
        if (rows.size() > max) {
            rows = rows.subList(0, max);
            EventOutbox.Row last = rows.get(max - 1);
            next = new PageToken(last.createdAt(), last.eventId()).encode();
        }
        List<Event> events = rows.stream().map(r -> new Event(r.eventId(), r.eventType(), r.jobId(), r.mediaId(),
                r.callbackUrl(), r.status(), r.attempts(), r.lastError(), Ids.iso(r.createdAt()),
                "PENDING".equals(r.status()) ? Ids.iso(r.nextAttemptAt()) : null, Ids.iso(r.deliveredAt()))).toList();
        return new ListReply(events, next, max);
    }

    /** Body out: the reply; header IngestEventIds: the events to send now. */
    public RetryReply retry(RpcRequest request, Exchange exchange) {
        List<String> ids = MetadataRules.split(request.required("EventIds"));
        if (ids.size() > MAX_EVENTS) {
            throw ApiException.invalid("EventIds holds " + ids.size() + " ids; at most " + MAX_EVENTS + " are allowed.");
        }
        List<String> retried = outbox.retry(ids, request.appScope());
        List<String> ignored = new ArrayList<>(ids);
        ignored.removeAll(retried);
        exchange.getMessage().setHeader(Headers.EVENT_IDS, retried);
        return new RetryReply(retried, ignored);
    }
}
