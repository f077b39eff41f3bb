package io.mediaurlingest.job;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;

import io.mediaurlingest.HostSlots;
import io.mediaurlingest.ops.IngestMetrics;

/**
 * Jobs that found their source host at its download limit on this node: kept by host as bare
 * ids and handed back, oldest first, each time a download from that host ends. A waiting job
 * costs nothing while it waits, instead of going round the queue with a database read each lap
 * (a migration of 100,000 URLs from one host would otherwise keep the workers spinning).
 */
final class HostWaitingList {

    private final HostSlots slots;
    private final IngestMetrics metrics;
    private final Map<String, LinkedHashSet<String>> waiting = new HashMap<>();
    private int count;

    HostWaitingList(HostSlots slots, IngestMetrics metrics) {
        this.slots = slots;
        this.metrics = metrics;
    }

    /** Takes a download slot for the job's host, or else parks the job: true when it may run now. */
    synchronized boolean acquireOrWait(String url, String jobId) {
        if (slots.tryAcquire(url)) {
            return true;
        }
        String host = HostSlots.hostOf(url);
        if (waiting.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(jobId)) {
            count++;
            metrics.parkedFor(host, () -> parkedFor(host));
        }
        return false;
    }

    /**
     * Puts a job just submitted at the end of its host's line, when jobs already wait for that
     * host and none of its slots is free: it would only find that out from a lap of the queue and
     * a database read. False when it should go on the queue.
     */
    synchronized boolean parkBehindOthers(String url, String jobId) {
        LinkedHashSet<String> ids = waiting.get(HostSlots.hostOf(url));
        if (ids == null || slots.hasFree(url)) {
            return false;
        }
        if (ids.add(jobId)) {
            count++;
        }
        return true;
    }

    /**
     * The job that waited longest for the url's host when one of its slots is free, else null:
     * the job a release handed the slot to did not take it (it had ended meanwhile), so the next
     * in line is queued instead of waiting for a download that may not come.
     */
    synchronized String nextIfFree(String url) {
        return slots.hasFree(url) ? next(HostSlots.hostOf(url)) : null;
    }

    /**
     * Gives a slot of the host back.
     * @return the job that waited longest for this host, to be queued again, or null
     */
    synchronized String release(String url) {
        slots.release(url);
        return next(HostSlots.hostOf(url));
    }

    private String next(String host) {
        LinkedHashSet<String> ids = waiting.get(host);
        if (ids == null) {
            return null;
        }
        Iterator<String> oldest = ids.iterator();
        String next = oldest.next();
        oldest.remove();
        count--;
        if (ids.isEmpty()) {
            waiting.remove(host);
        }
        return next;
    }

    private synchronized int parkedFor(String host) {
        LinkedHashSet<String> ids = waiting.get(host);
        return ids == null ? 0 : ids.size();
    }

    synchronized int size() {
        return count;
    }
}
