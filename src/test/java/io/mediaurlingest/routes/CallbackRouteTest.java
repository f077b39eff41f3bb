package io.mediaurlingest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.Ids;
import io.mediaurlingest.callback.CallbackEvent;
import io.mediaurlingest.callback.EventBody;
import io.mediaurlingest.callback.EventOutbox;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * The delivery flow (routes/callbacks.camel.yaml, deliver-event) with the receiver replaced:
 * what each answer does to the event in the outbox.
 */
class CallbackRouteTest extends RouteTestSupport {

    private EventOutbox outbox() {
        return context.getRegistry().lookupByNameAndType("eventOutbox", EventOutbox.class);
    }

    /** The receiver answers this status; the POST it got is kept on mock:receiver. */
    private void receiverAnswers(int status) throws Exception {
        AdviceWith.adviceWith(context, "deliver-event", route -> route.weaveById("post-event").replace()
                .to("mock:receiver").setHeader(Exchange.HTTP_RESPONSE_CODE, route.constant(status)));
        context.start();
    }

    private String event() {
        CallbackEvent event = new EventBody("UploadByURLComplete", Ids.newId(), Ids.newId(), null,
                "{\"MessageCallback\":{\"CallbackURL\":\"https://hooks.example.com/ice\"}}").outcome(true, null, null).toEvent(outbox().shape(), ApiFamily.ICE);
        context.getRegistry().lookupByNameAndType("database", Database.class).inTransaction(c -> {
            outbox().add(c, event);
            return null;
        });
        return event.eventId();
    }

    private EventOutbox.Row deliver(String eventId) {
        NotifyBuilder attempted = new NotifyBuilder(context).fromRoute("deliver-event").whenDone(1).create();
        template.sendBody("{{ingest.callback.queue.uri}}", eventId);
        assertThat(attempted.matches(5, TimeUnit.SECONDS)).isTrue();
        List<EventOutbox.Row> rows = outbox().list(null, null, null, null, null, 100);
        return rows.stream().filter(r -> r.eventId().equals(eventId)).findFirst().orElseThrow();
    }

    @Test
    void a2xxAnswerDeliversTheEventSignedWithItsId() throws Exception {
        receiverAnswers(204);
        String eventId = event();

        EventOutbox.Row row = deliver(eventId);

        assertThat(row.status()).isEqualTo(EventOutbox.DELIVERED);
        Exchange post = getMockEndpoint("mock:receiver").getReceivedExchanges().get(0);
        assertThat(post.getMessage().getHeader("webhook-id", String.class)).isEqualTo(eventId);
        assertThat(post.getMessage().getBody(String.class)).contains("\"EventType\":\"UploadByURLComplete\"");
    }

    @Test
    void anErrorAnswerKeepsTheEventForItsNextAttempt() throws Exception {
        receiverAnswers(500);
        String eventId = event();

        EventOutbox.Row row = deliver(eventId);

        assertThat(row.status()).isEqualTo(EventOutbox.PENDING);
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.lastError()).contains("500");
    }

    @Test
    void goneStopsTheRetries() throws Exception {
        receiverAnswers(410);
        String eventId = event();

        assertThat(deliver(eventId).status()).isEqualTo(EventOutbox.GONE);
    }
}
