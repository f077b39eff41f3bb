package io.mediaurlingest.job;

import java.time.Duration;
import java.util.List;

/** What the sweeps put back on the queue: work a stopped or crashed node left behind. */
public final class JobSweeps {

    private final JobRepository jobs;
    private final Duration stalePending;

    public JobSweeps(JobRepository jobs, Duration stalePending) {
        this.jobs = jobs;
        this.stalePending = stalePending;
    }

    /** At start-up: every waiting job, and running ones whose lease ran out. */
    public List<String> onStart() {
        return jobs.idsToRequeue(Duration.ZERO);
    }

    /** Periodically: running jobs whose lease ran out, and waiting jobs nobody touched for a while. */
    public List<String> stale() {
        return jobs.idsToRequeue(stalePending);
    }
}
