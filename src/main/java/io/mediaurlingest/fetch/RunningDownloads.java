package io.mediaurlingest.fetch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.job.JobFailure;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * The downloads running on this node, by job id. Each can be cut off at once, with the reason
 * the job then ends for: a cancel, its deadline, or a source that sends too slowly. The
 * watchdog ({@link #check}) runs on a timer, so a source that trickles bytes cannot keep a
 * worker past its limits (the download loop only notices between reads).
 */
public final class RunningDownloads {

    private final Map<String, Download> running = new ConcurrentHashMap<>();
    private final Duration deadline;
    private final long minBytesPerSecond;
    private final Duration rateWindow;

    /**
     * @param deadline          ingest.fetch.deadline, for the message
     * @param minBytesPerSecond ingest.fetch.min-rate (0: no minimum)
     * @param rateWindow        ingest.fetch.min-rate-window: the span the rate is averaged over
     */
    public RunningDownloads(Duration deadline, long minBytesPerSecond, Duration rateWindow) {
        this.deadline = deadline;
        this.minBytesPerSecond = minBytesPerSecond;
        this.rateWindow = rateWindow;
    }

    /** One running download: its request, its byte count, and why it was cut off (null while it runs). */
    static final class Download {
        private final Cancellable request;
        private final long deadlineNanos;
        final AtomicLong bytes = new AtomicLong();
        private volatile JobFailure cutOffFor;
        private long windowStartNanos;
        private long windowStartBytes;

        Download(Cancellable request, long deadlineNanos, long startNanos) {
            this.request = request;
            this.deadlineNanos = deadlineNanos;
            this.windowStartNanos = startNanos;
        }

        /** Closes the connection now (never reads the rest of the body) and remembers why. */
        boolean cutOff(JobFailure reason) {
            if (cutOffFor == null) {
                cutOffFor = reason;
            }
            return request.cancel();
        }

        JobFailure cutOffFor() {
            return cutOffFor;
        }
    }

    Download started(String jobId, Cancellable request, long deadlineNanos) {
        Download download = new Download(request, deadlineNanos, System.nanoTime());
        running.put(jobId, download);
        return download;
    }

    void ended(String jobId) {
        running.remove(jobId);
    }

    /** Aborts the job's download if it runs here; true when one was running. */
    public boolean cancel(String jobId) {
        Download download = running.remove(jobId);
        return download != null && download.cutOff(JobFailure.permanent(ErrorCode.CANCELED, "The job was canceled."));
    }

    /**
     * The watchdog: cuts off every download past its deadline, and every one that received less
     * than the minimum rate over the last whole window.
     */
    public void check() {
        long now = System.nanoTime();
        running.forEach((jobId, d) -> {
            if (now - d.deadlineNanos > 0) {
                d.cutOff(JobFailure.permanent(ErrorCode.DOWNLOAD_TIMEOUT,
                        "The download did not finish within " + text(deadline) + "."));
                return;
            }
            if (minBytesPerSecond <= 0 || now - d.windowStartNanos < rateWindow.toNanos()) {
                return;
            }
            long bytes = d.bytes.get();
            double seconds = (now - d.windowStartNanos) / 1e9;
            if (bytes - d.windowStartBytes < minBytesPerSecond * seconds) {
                d.cutOff(JobFailure.transientFailure(ErrorCode.DOWNLOAD_TIMEOUT, "The source sent "
                        + (bytes - d.windowStartBytes) + " bytes in the last " + Math.round(seconds)
                        + " s, less than the minimum rate of " + minBytesPerSecond + " bytes/s.", null));
                return;
            }
            d.windowStartNanos = now;
            d.windowStartBytes = bytes;
        });
    }

    /** A duration as people write it: 90 s, 6 h, 1500 ms. */
    private static String text(Duration d) {
        long s = d.toSeconds();
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + " ms";
        }
        return s % 3600 == 0 ? s / 3600 + " h" : s % 60 == 0 ? s / 60 + " min" : s + " s";
    }
}
