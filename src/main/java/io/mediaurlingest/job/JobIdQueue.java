package io.mediaurlingest.job;

import java.util.AbstractQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.UnitOfWorkHelper;

/**
 * The queue behind the default in-process ingest queue (seda:ingest-jobs?queue=#ingestJobQueue).
 * A waiting job is only its id, so the queue keeps the id alone (about 100 bytes) and gives
 * the worker that takes it a fresh exchange, instead of holding a whole Camel exchange (about
 * 2.5 KB with its headers and properties) per job. A backlog of a million URLs is then about
 * 100 MB, and the garbage collector has little to copy while a large batch waits.
 */
public final class JobIdQueue extends AbstractQueue<Exchange> implements BlockingQueue<Exchange> {

    private final CamelContext context;
    private final LinkedBlockingQueue<String> ids;

    public JobIdQueue(CamelContext context, int capacity) {
        this.context = context;
        this.ids = new LinkedBlockingQueue<>(capacity);
    }

    /** The job id the exchange carries; the exchange itself is finished here (its completions run now). */
    private static String idOf(Exchange exchange) {
        String id = exchange.getMessage().getBody(String.class);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("an ingest queue message must be a job id");
        }
        List<Synchronization> completions = exchange.getExchangeExtension().handoverCompletions();
        if (completions != null && !completions.isEmpty()) {
            UnitOfWorkHelper.doneSynchronizations(exchange, completions);
        }
        return id;
    }

    private Exchange exchangeFor(String id) {
        if (id == null) {
            return null;
        }
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(id);
        return exchange;
    }

    @Override
    public boolean offer(Exchange exchange) {
        return ids.offer(idOf(exchange));
    }

    @Override
    public boolean offer(Exchange exchange, long timeout, TimeUnit unit) throws InterruptedException {
        return ids.offer(idOf(exchange), timeout, unit);
    }

    @Override
    public void put(Exchange exchange) throws InterruptedException {
        ids.put(idOf(exchange));
    }

    @Override
    public Exchange poll() {
        return exchangeFor(ids.poll());
    }

    @Override
    public Exchange poll(long timeout, TimeUnit unit) throws InterruptedException {
        return exchangeFor(ids.poll(timeout, unit));
    }

    @Override
    public Exchange take() throws InterruptedException {
        return exchangeFor(ids.take());
    }

    @Override
    public Exchange peek() {
        return exchangeFor(ids.peek());
    }

    @Override
    public int size() {
        return ids.size();
    }

    @Override
    public int remainingCapacity() {
        return ids.remainingCapacity();
    }

    @Override
    public boolean remove(Object o) {
        return o instanceof Exchange exchange && ids.remove(exchange.getMessage().getBody(String.class));
    }

    @Override
    public void clear() {
        ids.clear();
    }

    @Override
    public int drainTo(Collection<? super Exchange> target) {
        return drainTo(target, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super Exchange> target, int max) {
        List<String> drained = new ArrayList<>();
        int n = ids.drainTo(drained, max);
        drained.forEach(id -> target.add(exchangeFor(id)));
        return n;
    }

    /** A view for browsing (the seda endpoint's exchanges list): fresh exchanges over a snapshot. */
    @Override
    public Iterator<Exchange> iterator() {
        return new ArrayList<>(ids).stream().map(this::exchangeFor).iterator();
    }
}
