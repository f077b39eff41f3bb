package io.mediaurlingest.job;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;


/** What the sweeps put back on the queue: work a stopped or crashed node left behind. */
public final class JobSweeps {

    private final JobRepository jobs;
    private final Duration stalePending;
    private final OffsetDateTime createdAt;
    private final boolean cluster;

    public JobSweeps(JobRepository jobs, Duration stalePending, boolean cluster) {
        this.jobs = jobs;
        this.stalePending = stalePending;
        this.createdAt = jobs.now();
        this.cluster = cluster;
    }

    /**
     * At start-up: jobs that were waiting before this service started (those submitted since
     * are on the queue already), and running ones whose lease ran out. None in cluster mode:
     * waiting jobs are on the broker, and the clustered stale sweep takes those of a dead node.
     */
    public List<String> onStart() {
        return cluster ? List.of() : jobs.idsToRequeue(createdAt);
    }

    /** Periodically: running jobs whose lease ran out, and waiting jobs nobody touched for a while. */
    public List<String> stale() {
        return jobs.idsToRequeue(jobs.now().minus(stalePending));
    }
}
