package io.mediaurlingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.junit.jupiter.api.Test;

/** The in-memory ingest queue keeps job ids, not exchanges, and finishes what it is handed. */
class JobIdQueueTest {

    final DefaultCamelContext context = new DefaultCamelContext();

    private Exchange job(String id) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(id);
        exchange.getMessage().setHeader("CamelHttpQuery", "UploadURLs=" + "x".repeat(2000)); // not kept
        return exchange;
    }

    @Test
    void idsComeOutInOrderAsFreshExchangesWithoutTheHeadersTheyCameWith() throws Exception {
        JobIdQueue queue = new JobIdQueue(context, 10);
        queue.put(job("a"));
        assertThat(queue.offer(job("b"))).isTrue();
        assertThat(queue.offer(job("c"), 1, TimeUnit.MILLISECONDS)).isTrue();

        assertThat(queue.size()).isEqualTo(3);
        Exchange first = queue.take();
        assertThat(first.getMessage().getBody(String.class)).isEqualTo("a");
        assertThat(first.getMessage().getHeaders()).isEmpty();
        assertThat(queue.poll(1, TimeUnit.MILLISECONDS).getMessage().getBody()).isEqualTo("b");
        List<Exchange> rest = new ArrayList<>();
        assertThat(queue.drainTo(rest)).isEqualTo(1);
        assertThat(rest.get(0).getMessage().getBody()).isEqualTo("c");
        assertThat(queue.poll()).isNull();
    }

    @Test
    void aFullQueueRefusesAndTheCapacityIsReported() {
        JobIdQueue queue = new JobIdQueue(context, 2);
        assertThat(queue.offer(job("a"))).isTrue();
        assertThat(queue.offer(job("b"))).isTrue();
        assertThat(queue.remainingCapacity()).isZero();
        assertThat(queue.offer(job("c"))).isFalse();
        assertThatThrownBy(() -> queue.add(job("d"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCompletionsOfAQueuedExchangeRunWhenItIsQueued() {
        JobIdQueue queue = new JobIdQueue(context, 2);
        Exchange exchange = job("a");
        AtomicInteger done = new AtomicInteger();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange e) {
                done.incrementAndGet();
            }
        });

        queue.offer(exchange);

        assertThat(done.get()).isEqualTo(1);
    }

    @Test
    void aMessageWithoutAJobIdIsRefused() {
        JobIdQueue queue = new JobIdQueue(context, 2);
        assertThatThrownBy(() -> queue.offer(job(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThat(queue.size()).isZero();
    }
}
