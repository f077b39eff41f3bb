package io.mediaurlingest.fetch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hc.core5.concurrent.Cancellable;

/** The downloads running on this node, by job id, so that a cancel can cut one off at once. */
public final class RunningDownloads {

    private final Map<String, Cancellable> running = new ConcurrentHashMap<>();

    void started(String jobId, Cancellable request) {
        running.put(jobId, request);
    }

    void ended(String jobId) {
        running.remove(jobId);
    }

    /** Aborts the job's download if it runs here; true when one was running. */
    public boolean cancel(String jobId) {
        Cancellable request = running.remove(jobId);
        return request != null && request.cancel();
    }
}
