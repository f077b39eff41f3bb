package io.mediaurlingest.job;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;


/** What the sweeps put back on the queue: work a stopped or crashed node left behind. */
public final class JobSweeps {

    private final JobRepository jobs;
    private final Duration stalePending;
    private final OffsetDateTime createdAt;

    public JobSweeps(JobRepository jobs, Duration stalePending) {
        this.jobs = jobs;
        this.stalePending = stalePending;
        this.createdAt = jobs.now();
    }

    /**
     * At start-up: jobs that were waiting before this service started (those submitted since
     * are on the queue already), and running ones whose lease ran out.
     */
    public List<String> onStart() {
        return jobs.idsToRequeue(createdAt);
    }

    /** Periodically: running jobs whose lease ran out, and waiting jobs nobody touched for a while. */
    public List<String> stale() {
        return jobs.idsToRequeue(jobs.now().minus(stalePending));
    }
}
