package io.mediaurlingest;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * At most N connections to one host at a time on this node (downloads from a source host,
 * deliveries to a callback receiver), so that one slow site cannot hold every slot.
 */
public final class HostSlots {

    private final int perHost;
    private final Map<String, Semaphore> byHost = new ConcurrentHashMap<>();

    public HostSlots(int perHost) {
        this.perHost = perHost;
    }

    /** @param host as {@link #hostOf} gives it: callers that ask several things of one URL parse it once */
    public boolean tryAcquire(String host) {
        return byHost.computeIfAbsent(host, h -> new Semaphore(perHost)).tryAcquire();
    }

    /** Whether a connection to the host may start now. */
    public boolean hasFree(String host) {
        Semaphore slots = byHost.get(host);
        return slots == null || slots.availablePermits() > 0;
    }

    public void release(String host) {
        Semaphore slots = byHost.get(host);
        if (slots != null) {
            slots.release();
        }
    }

    public static String hostOf(String url) {
        String host = io.mediaurlingest.fetch.SourceUrls.uri(url).getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
