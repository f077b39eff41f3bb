package io.mediaurlingest.job;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;

import io.mediaurlingest.Database;
import io.mediaurlingest.HostSlots;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.cluster.ClusterConfiguration;
import io.mediaurlingest.fetch.RunningDownloads;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Jobs: jobRepository, ingestJobQueue (the default queue's backing store of bare ids),
 * jobLifecycle (claim, lease, end), jobSweeps and retryPolicy.
 */
public final class JobConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.node-id")
    String nodeId;
    @PropertyInject("ingest.job.lease")
    String lease;
    @PropertyInject("ingest.job.stale-pending")
    String stalePending;
    @PropertyInject("ingest.queue.capacity")
    int queueCapacity;
    @PropertyInject("ingest.fetch.deadline")
    String deadline;
    @PropertyInject("ingest.fetch.max-attempts")
    int maxAttempts;
    @PropertyInject("ingest.fetch.max-retry-delay")
    String maxRetryDelay;
    @PropertyInject("ingest.fetch.per-host-concurrency")
    int perHostConcurrency;

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        IngestMetrics metrics = RegistryBinding.lookup(context, "ingestMetrics", IngestMetrics.class);
        // leases, progress and sweeps go by this clock: a test binds one it can move on
        Clock clock = RegistryBinding.bindIfAbsent(context, "clock", Clock.class, Clock::systemUTC);
        JobRepository jobs = RegistryBinding.bindIfAbsent(context, "jobRepository", JobRepository.class,
                () -> new JobRepository(database, clock));
        RegistryBinding.bindIfAbsent(context, "ingestJobQueue", JobIdQueue.class, () -> new JobIdQueue(context, queueCapacity));
        String node = nodeId.isBlank() ? defaultNodeId() : nodeId;
        Duration leaseTime = Settings.parseDuration(lease);
        RegistryBinding.bindIfAbsent(context, "jobLifecycle", JobLifecycle.class, () -> new JobLifecycle(database, jobs,
                RegistryBinding.lookup(context, "mediaRepository", MediaRepository.class),
                RegistryBinding.lookup(context, "eventOutbox", EventOutbox.class),
                RegistryBinding.lookup(context, "storageLocations", StorageLocations.class),
                new JobProgress(jobs, node, leaseTime, Duration.ofSeconds(1)),
                RegistryBinding.lookup(context, "runningDownloads", RunningDownloads.class),
                new HostSlots(perHostConcurrency), ClusterConfiguration.isCluster(context) ? perHostConcurrency : 0,
                node, leaseTime, Settings.parseDuration(deadline), metrics));
        RegistryBinding.bindIfAbsent(context, "jobSweeps", JobSweeps.class,
                () -> new JobSweeps(jobs, Settings.parseDuration(stalePending), ClusterConfiguration.isCluster(context)));
        RegistryBinding.bindIfAbsent(context, "retryPolicy", RetryPolicy.class,
                () -> new RetryPolicy(jobs, maxAttempts, Settings.parseDuration(maxRetryDelay).toMillis(), metrics));
    }

    /** ingest.node-id when empty: host name and process id. */
    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
