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

    public boolean tryAcquire(String url) {
        return byHost.computeIfAbsent(hostOf(url), h -> new Semaphore(perHost)).tryAcquire();
    }

    /** Whether a connection to the url's host may start now. */
    public boolean hasFree(String url) {
        Semaphore slots = byHost.get(hostOf(url));
        return slots == null || slots.availablePermits() > 0;
    }

    public void release(String url) {
        Semaphore slots = byHost.get(hostOf(url));
        if (slots != null) {
            slots.release();
        }
    }

    public static String hostOf(String url) {
        String host = io.mediaurlingest.fetch.SourceUrls.uri(url).getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
