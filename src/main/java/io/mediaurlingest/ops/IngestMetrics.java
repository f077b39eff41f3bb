package io.mediaurlingest.ops;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own meters, beside Camel's route meters, in the registry camel-main scrapes at
 * /observe/metrics (Prometheus names: dots become underscores, counters end in _total, timers
 * in _seconds). Counters count what happened in this process since it started; the gauges of
 * jobs and events by state read the database (see {@link DatabaseFigures}), where the truth is.
 */
public final class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Counter attempts;
    private final Counter downloadedBytes;
    private final Counter storedBytes;
    private final Timer timeToFirstByte;
    private final Timer callbackRoundTrip;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Gauge> parkedByHost = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.submitted = Counter.builder("ingest.jobs.submitted").description("Jobs created by UploadMediaByURL")
                .register(registry);
        this.attempts = Counter.builder("ingest.download.attempts")
                .description("Downloads started, first attempts and retries").register(registry);
        this.downloadedBytes = Counter.builder("ingest.downloaded").baseUnit("bytes")
                .description("Bytes read from sources, retried ones included").register(registry);
        this.storedBytes = Counter.builder("ingest.stored").baseUnit("bytes")
                .description("Bytes of the media stored by successful jobs").register(registry);
        this.timeToFirstByte = Timer.builder("ingest.download.first.byte")
                .description("From a download's request to the first byte of its body")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        this.callbackRoundTrip = Timer.builder("ingest.callback.delivery")
                .description("A callback POST, from its request to the receiver's answer")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** A batch of jobs was persisted. */
    public void submitted(int jobs) {
        submitted.increment(jobs);
    }

    /**
     * A job ended (SUCCESS, FAIL or CANCELED); its duration runs from its submission, the time a
     * caller waits for it.
     */
    public void ended(String status, String errorCode, OffsetDateTime createdAt) {
        String code = errorCode == null ? "" : errorCode;
        counters.computeIfAbsent("ended|" + status + "|" + code, k -> Counter.builder("ingest.jobs.ended")
                .description("Jobs ended, by status and ErrorCode").tag("status", status).tag("error_code", code)
                .register(registry)).increment();
        if (createdAt != null) {
            timers.computeIfAbsent("duration|" + status, k -> Timer.builder("ingest.job.duration")
                    .description("From a job's submission to its end, by status").tag("status", status)
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofHours(6)).register(registry))
                    .record(Duration.between(createdAt, OffsetDateTime.now()));
        }
    }

    /** A download attempt starts. */
    public void attempt() {
        attempts.increment();
    }

    /** A transient failure is retried (the attempt after it is counted by {@link #attempt()}). */
    public void retry(String errorCode) {
        counters.computeIfAbsent("retry|" + errorCode, k -> Counter.builder("ingest.download.retries")
                .description("Attempts retried after a transient failure, by its ErrorCode").tag("error_code", errorCode)
                .register(registry)).increment();
    }

    public void firstByte(Duration sinceRequest) {
        timeToFirstByte.record(sinceRequest);
    }

    public void downloaded(long bytes) {
        downloadedBytes.increment(bytes);
    }

    public void stored(long bytes) {
        storedBytes.increment(bytes);
    }

    /**
     * One delivery attempt of a callback event ended: delivered, refused (a non-2xx answer: retried
     * later), gone (410: never again) or failed (no answer: retried later); roundTrip is the POST's.
     */
    public void callbackAttempt(String outcome, Duration roundTrip) {
        counters.computeIfAbsent("callback|" + outcome, k -> Counter.builder("ingest.callback.deliveries")
                .description("Callback delivery attempts, by outcome").tag("outcome", outcome).register(registry))
                .increment();
        if (roundTrip != null) {
            callbackRoundTrip.record(roundTrip);
        }
    }

    /** A workflow run ended, SUCCESS or FAIL. */
    public void workflowRun(String workflowId, String outcome) {
        counters.computeIfAbsent("workflow|" + workflowId + "|" + outcome, k -> Counter.builder("ingest.workflow.runs")
                .description("Workflow runs, by workflow and outcome").tag("workflow", workflowId)
                .tag("outcome", outcome).register(registry)).increment();
    }

    /**
     * Jobs parked on this node for their source host's download limit, one series per host that
     * ever had one (0 once its queue is empty).
     */
    public void parkedFor(String host, Supplier<Number> parkedNow) {
        parkedByHost.computeIfAbsent(host, h -> Gauge.builder("ingest.jobs.parked", parkedNow)
                .description("Jobs waiting on this node for a download slot of their source host")
                .tag("source_host", h).register(registry));
    }
}
