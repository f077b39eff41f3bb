package io.mediaurlingest.fetch;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most N downloads from one source host at a time on this node, so that one slow site
 * cannot hold every ingest slot: a job whose host is full waits on the queue, not in a slot.
 */
public final class HostSlots {

    private final int perHost;
    private final Map<String, Semaphore> byHost = new ConcurrentHashMap<>();

    public HostSlots(int perHost) {
        this.perHost = perHost;
    }

    public boolean tryAcquire(String url) {
        return byHost.computeIfAbsent(hostOf(url), h -> new Semaphore(perHost)).tryAcquire();
    }

    public void release(String url) {
        Semaphore slots = byHost.get(hostOf(url));
        if (slots != null) {
            slots.release();
        }
    }

    static String hostOf(String url) {
        String host = URI.create(url).getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
