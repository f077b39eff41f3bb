package io.mediaurlingest.job;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.HostSlots;
import io.mediaurlingest.Json;
import io.mediaurlingest.callback.CallbackEvent;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.callback.UploadCompleteEvents;
import io.mediaurlingest.fetch.RunningDownloads;
import io.mediaurlingest.fetch.SourceUrls;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaFormats;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start and the end of a job in the ingest route: claim it (a lease in the database,
 * renewed while it runs), and end it with its media and its event written in one
 * transaction, so a job never ends without its event.
 */
public final class JobLifecycle extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JobLifecycle.class);

    private final Database database;
    private final JobRepository jobs;
    private final MediaRepository media;
    private final EventOutbox outbox;
    private final StorageLocations locations;
    private final JobProgress progress;
    private final RunningDownloads downloads;
    private final HostWaitingList hostSlots;
    /** Cluster mode (> 0): downloads from one host at once on all nodes together (0: one node, its own limit). */
    private final int clusterPerHost;
    private final String nodeId;
    private final Duration lease;
    private final Duration deadline;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final IngestMetrics metrics;

    public JobLifecycle(Database database, JobRepository jobs, MediaRepository media, EventOutbox outbox,
            StorageLocations locations, JobProgress progress, RunningDownloads downloads, HostSlots hostSlots,
            int clusterPerHost, String nodeId, Duration lease, Duration deadline, IngestMetrics metrics) {
        this.metrics = metrics;
        this.database = database;
        this.jobs = jobs;
        this.media = media;
        this.outbox = outbox;
        this.locations = locations;
        this.progress = progress;
        this.downloads = downloads;
        this.hostSlots = new HostWaitingList(hostSlots, metrics);
        this.clusterPerHost = clusterPerHost;
        this.nodeId = nodeId;
        this.lease = lease;
        this.deadline = deadline;
    }

    /**
     * Body: a job id. Claims the job for this node and leaves its IngestWork in the exchange
     * property IngestWork. A job parked for the same host that may now run is named in the
     * header IngestRequeueJobId, for the flow to queue again.
     * @return "claimed"; "waiting" when its source host already has its share of downloads
     *         here (the job goes back on the queue when one of them ends); "later" in cluster
     *         mode when the host has its share across the cluster (the flow queues it again, a
     *         little later); "skip" when it is not there to run (finished, canceled, or running
     *         on another node)
     */
    public String claim(String jobId, Exchange exchange) {
        if (running.contains(jobId)) {
            return "skip"; // this node runs it already (its message came back after a lease ran out)
        }
        Optional<UploadJob> job = jobs.find(jobId);
        if (job.isEmpty() || job.get().status().isFinished()) {
            LOG.debug("Job {} is {}; skipped", jobId, job.map(j -> j.status().name()).orElse("not there"));
            if (job.isPresent() && clusterPerHost == 0) {
                requeue(exchange, hostSlots.nextIfFree(job.get().sourceUrl(), jobId)); // it may have been handed a slot
            }
            return "skip";
        }
        Optional<UploadJob> claimed;
        if (clusterPerHost > 0) {
            JobRepository.HostClaim claim = jobs.claimWithinHostCap(job.get(), nodeId, jobs.now().plus(lease),
                    HostSlots.hostOf(job.get().sourceUrl()), clusterPerHost);
            if (claim.hostBusy()) {
                LOG.debug("Job {} waits: its source host has its share of downloads in the cluster", jobId);
                return "later";
            }
            claimed = claim.job();
        } else {
            if (!hostSlots.acquireOrWait(job.get().sourceUrl(), jobId)) {
                return "waiting";
            }
            claimed = jobs.claim(job.get(), nodeId, jobs.now().plus(lease));
            if (claimed.isEmpty()) {
                requeue(exchange, hostSlots.release(job.get().sourceUrl()));
            }
        }
        if (claimed.isEmpty()) {
            LOG.debug("Job {} is not claimable; skipped", jobId);
            return "skip";
        }
        running.add(jobId);
        exchange.getMessage().setHeader(Headers.JOB_ID, jobId); // in every log line of the job (camel-mdc)
        exchange.getMessage().setHeader(Headers.MEDIA_ID, claimed.get().mediaId());
        exchange.setProperty(Headers.WORK, new IngestWork(claimed.get(), deadline, progress));
        return "claimed";
    }

    /**
     * The ids of jobs just submitted that go on the queue. On one node, a job whose source host
     * has all its slots taken joins the end of the host's line at once instead: a batch of
     * 100,000 URLs from one host would otherwise cost a lap of the queue and a database read per
     * job only to find the host busy.
     */
    public List<String> toQueue(List<UploadJob> submitted) {
        return submitted.stream()
                .filter(job -> clusterPerHost > 0 || !hostSlots.parkBehindOthers(job.sourceUrl(), job.jobId()))
                .map(UploadJob::jobId).toList();
    }

    /** Checks the MD5 a client announced for the file (MediaMetaData Md5), when it did. */
    public IngestWork verifyChecksum(IngestWork work) {
        String expected = work.job().announcedMd5();
        // an HLS presentation's MP4 is made here: no MD5 of it can be known ahead (refused at submit)
        if (expected != null && !work.isHls() && !expected.equalsIgnoreCase(work.md5())) {
            throw JobFailure.permanent(ErrorCode.CHECKSUM_MISMATCH,
                    "The file's MD5 is " + work.md5() + ", not the announced " + expected.toLowerCase() + ".");
        }
        return work;
    }

    /** Keeps the leases of this node's running jobs alive (sweep renew-job-leases). */
    public void renewLeases() {
        jobs.renewLeases(nodeId, Set.copyOf(running), jobs.now().plus(lease));
    }

    /**
     * Jobs still running when the service stops go back: to PENDING on one node (the next start
     * runs them); in a cluster their leases run out now, so the stale sweep of another node queues
     * them again at once (a PENDING job would wait for ingest.job.stale-pending).
     */
    @Override
    protected void doStop() {
        if (running.isEmpty()) {
            return;
        }
        if (clusterPerHost > 0) {
            LOG.info("Leaving {} unfinished job(s) to the other nodes", running.size());
            jobs.expireLeases(nodeId, Set.copyOf(running));
        } else {
            LOG.info("Returning {} unfinished job(s) to PENDING", running.size());
            jobs.returnToPending(nodeId, Set.copyOf(running));
        }
    }

    /**
     * Registers the media, marks the job SUCCESS and writes its event: one transaction.
     * @return the event's id, or null when the job was no longer this node's to end
     */
    public String complete(IngestWork work, Exchange exchange) {
        UploadJob job = work.job();
        MediaAsset asset = mediaOf(work);
        CallbackEvent event = UploadCompleteEvents.of(job, JobStatus.SUCCESS, work.size(), null, null, outbox.shape());
        boolean ended = database.inTransaction(c -> {
            if (!jobs.finish(c, job.jobId(), JobStatus.SUCCESS, work.size(), null, null, nodeId)) {
                return false;
            }
            media.insertIfAbsent(c, asset);
            outbox.add(c, event);
            return true;
        });
        cleanUp(work, exchange);
        if (!ended) {
            // canceled while running, or no longer ours: what was stored is not kept
            discardStored(work);
            return null;
        }
        metrics.ended(JobStatus.SUCCESS.name(), null, job.createdAt());
        metrics.stored(work.size());
        LOG.info("Job {} SUCCESS: media {} ({} bytes)", job.jobId(), job.mediaId(), work.size());
        return event.eventId();
    }

    /** Marks the job FAIL with the failure's code and writes its event; removes what it left behind. */
    public String failed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        IngestWork work = exchange.getProperty(Headers.WORK, IngestWork.class);
        if (work == null) {
            LOG.error("Ingest failed before a job was claimed", cause);
            return null;
        }
        JobFailure failure = RetryPolicy.classify(cause);
        ErrorCode code = failure.errorCode();
        String message = failure.getMessage();
        if (code == ErrorCode.INTERNAL_JOB_ERROR) {
            LOG.error("Job {} failed unexpectedly", work.job().jobId(), cause);
        }
        UploadJob job = work.job();
        CallbackEvent event = UploadCompleteEvents.of(job, JobStatus.FAIL, null, code.code(), message, outbox.shape());
        boolean ended;
        try {
            ended = database.inTransaction(c -> {
                if (!jobs.finish(c, job.jobId(), JobStatus.FAIL, null, code.code(), message, nodeId)) {
                    return false;
                }
                outbox.add(c, event);
                return true;
            });
        } finally {
            // also when the end could not be recorded (the database went away): the job runs
            // again once its lease runs out, and this node must neither hold nor renew it
            cleanUp(work, exchange);
            discardStored(work);
        }
        if (!ended) {
            LOG.info("Job {} is no longer this node's (canceled, or returned at shutdown); its work was removed",
                    job.jobId());
            return null;
        }
        metrics.ended(JobStatus.FAIL.name(), code.code(), job.createdAt());
        LOG.warn("Job {} FAIL: {} {}", job.jobId(), code.code(), message);
        return event.eventId();
    }

    private void cleanUp(IngestWork work, Exchange exchange) {
        String jobId = work.job().jobId();
        if (work.upload() != null) {
            work.upload().abort(); // failed after the download: the parts are dropped
            work.uploading(null);
        }
        if (running.remove(jobId) && clusterPerHost == 0) {
            requeue(exchange, hostSlots.release(work.job().sourceUrl()));
        }
        progress.forget(jobId);
        work.discardFiles();
    }

    /**
     * Removes what this run stored, unless the job ended SUCCESS meanwhile: another run of it
     * (after this node's lease ran out) stores under the same key, and its media must stay. When
     * the database cannot say, the object stays: the job runs again and writes the same key.
     */
    private void discardStored(IngestWork work) {
        if (work.objectKey() == null) {
            return;
        }
        boolean keptByAnotherRun;
        try {
            keptByAnotherRun = jobs.find(work.job().jobId()).map(j -> j.status() == JobStatus.SUCCESS).orElse(false);
        } catch (RuntimeException databaseAway) {
            return;
        }
        if (!keptByAnotherRun) {
            locations.get(work.job().storageLocation()).delete(work.objectKey());
        }
    }

    /** A job that waited for its host's slot is named for the flow to put back on the ingest queue. */
    private static void requeue(Exchange exchange, String waitingJobId) {
        if (waitingJobId != null) {
            exchange.getMessage().setHeader(Headers.REQUEUE_JOB_ID, waitingJobId);
        }
    }

    /**
     * Ends a PENDING or PROCESSING job CANCELED with its event, in one transaction, and cuts its
     * download off if it runs on this node (one running elsewhere stops at its next progress
     * write; its worker removes what it left).
     * @return the event's id, or null when the job had ended meanwhile
     */
    public String cancel(UploadJob job) {
        CallbackEvent event = UploadCompleteEvents.of(job, JobStatus.CANCELED, null, ErrorCode.CANCELED.code(),
                "The job was canceled.", outbox.shape());
        boolean ended = database.inTransaction(c -> {
            if (!jobs.finish(c, job.jobId(), JobStatus.CANCELED, null, ErrorCode.CANCELED.code(), "The job was canceled.", null)) {
                return false;
            }
            outbox.add(c, event);
            return true;
        });
        if (!ended) {
            return null;
        }
        downloads.cancel(job.jobId());
        metrics.ended(JobStatus.CANCELED.name(), ErrorCode.CANCELED.code(), job.createdAt());
        return event.eventId();
    }

    /** Jobs parked on this node until a download from their source host ends. */
    public int waitingForHost() {
        return hostSlots.size();
    }

    private MediaAsset mediaOf(IngestWork work) {
        UploadJob job = work.job();
        JsonNode meta = Json.readStored(job.mediaMeta());
        String title = text(meta, "Title");
        if (title == null) {
            String base = MediaFormats.baseNameOf(SourceUrls.uri(job.sourceUrl()));
            title = base == null ? job.mediaId() : base;
        }
        String key = work.objectKey();
        StorageLocation location = locations.get(job.storageLocation());
        var now = jobs.now();
        String entityId = text(meta, "EntityId") != null ? text(meta, "EntityId") : job.entityId();
        return new MediaAsset(job.mediaId(), title, text(meta, "Description"), text(meta, "Tags"),
                text(meta, "CoverURL"), meta.hasNonNull("CateId") ? meta.get("CateId").asLong() : null,
                mediaType(work), "Normal", "general", null, job.appId(), entityId,
                job.userData(), null, null, location.objectUrl(key), "UploadByURL", location.name(), location.bucket(),
                key, key.substring(key.lastIndexOf('/') + 1), work.size(), work.contentType(), work.md5(), work.sha256(),
                work.probe() == null ? null : Json.write(work.probe()), now, now);
    }

    /** What the probe saw (an audio-only .webm is audio), else what the extension says. */
    private static String mediaType(IngestWork work) {
        String probed = work.probe() == null ? null : work.probe().mediaType();
        return probed != null ? probed : MediaFormats.mediaType(work.fileExtension());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
