package io.mediaurlingest.job;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
    private final Map<String, Line> waiting = new HashMap<>();
    /** Jobs named by release or nextIfFree that have not come back for their slot yet. */
    private final Set<String> handedOver = new HashSet<>();
    private int count;

    HostWaitingList(HostSlots slots, IngestMetrics metrics) {
        this.slots = slots;
        this.metrics = metrics;
    }

    /**
     * Takes a download slot for the job's host, or else parks the job: true when it may run now.
     * A job that was handed a slot and found it taken (by a job that was on the queue before it)
     * goes back to the head of the line, not to its end.
     */
    synchronized boolean acquireOrWait(String url, String jobId) {
        String host = HostSlots.hostOf(url);
        boolean wasNext = handedOver.remove(jobId);
        if (slots.tryAcquire(host)) {
            return true;
        }
        park(host, jobId, wasNext);
        return false;
    }

    /**
     * Puts a job just submitted at the end of its host's line when none of the host's slots is
     * free: every slot's holder hands its slot on when it ends, so the job would only find that
     * out from a lap of the queue and a database read. (While the workers are all downloading from
     * that host, no worker is left to form the line; a burst of submits would otherwise all go on
     * the queue, to be read one by one the moment those downloads end.) False when it should go
     * on the queue.
     */
    synchronized boolean parkBehindOthers(String url, String jobId) {
        String host = HostSlots.hostOf(url);
        if (slots.hasFree(host)) {
            return false;
        }
        park(host, jobId, false);
        return true;
    }

    private void park(String host, String jobId, boolean atHead) {
        if (waiting.computeIfAbsent(host, h -> new Line()).add(jobId, atHead)) {
            count++;
            metrics.parkedFor(host, () -> parkedFor(host));
        }
    }

    /**
     * The job that waited longest for the url's host when one of its slots is free, else null:
     * the job a release handed the slot to did not take it (it had ended meanwhile), so the next
     * in line is queued instead of waiting for a download that may not come.
     * @param skipped the job that did not take its turn
     */
    synchronized String nextIfFree(String url, String skipped) {
        handedOver.remove(skipped);
        String host = HostSlots.hostOf(url);
        return slots.hasFree(host) ? next(host) : null;
    }

    /**
     * Gives a slot of the host back.
     * @return the job that waited longest for this host, to be queued again, or null
     */
    synchronized String release(String url) {
        String host = HostSlots.hostOf(url);
        slots.release(host);
        return next(host);
    }

    private String next(String host) {
        Line line = waiting.get(host);
        if (line == null) {
            return null;
        }
        String next = line.takeHead();
        count--;
        if (line.isEmpty()) {
            waiting.remove(host);
        }
        handedOver.add(next);
        return next;
    }

    private synchronized int parkedFor(String host) {
        Line line = waiting.get(host);
        return line == null ? 0 : line.size();
    }

    synchronized int size() {
        return count;
    }

    /** One host's line: job ids in order, each at most once (a job may come round the queue again while it waits). */
    private static final class Line {
        private final ArrayDeque<String> order = new ArrayDeque<>();
        private final Set<String> members = new HashSet<>();

        boolean add(String jobId, boolean atHead) {
            if (!members.add(jobId)) {
                return false;
            }
            if (atHead) {
                order.addFirst(jobId);
            } else {
                order.addLast(jobId);
            }
            return true;
        }

        String takeHead() {
            String head = order.removeFirst();
            members.remove(head);
            return head;
        }

        boolean isEmpty() {
            return order.isEmpty();
        }

        int size() {
            return order.size();
        }
    }
}
