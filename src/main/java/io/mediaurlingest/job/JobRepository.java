package io.mediaurlingest.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.Digests;
import io.mediaurlingest.Ids;

/** Jobs in the database, the source of truth; the queue only carries their ids. */
public class JobRepository {

    private static final String COLUMNS = "job_id, media_id, source_url, status, app_id, entity_id, user_data, "
            + "media_meta, file_extension, storage_location, post_process, file_size, bytes_done, attempts, "
            + "error_code, error_message, created_at, completed_at, waiting_for, api_family, source_headers, segments_done, "
            + "segments_total, node_id";

    private final Database database;
    private final Clock clock;

    /** @param clock what leases, progress and sweeps are measured by (a test's own clock moves them on) */
    public JobRepository(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The time by this repository's clock. */
    public OffsetDateTime now() {
        return Ids.now(clock);
    }

    /** Inserts a whole batch on the caller's connection (one transaction per batch). */
    public void insertAll(Connection c, List<UploadJob> jobs) throws SQLException {
        Database.batch(c, "INSERT INTO upload_job (job_id, media_id, source_url, source_url_hash, status, app_id, "
                + "entity_id, user_data, media_meta, file_extension, storage_location, post_process, created_at, "
                + "updated_at, api_family, source_headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", jobs.stream().map(job -> new Object[] {
                        job.jobId(), job.mediaId(), job.sourceUrl(), Digests.sha256Hex(job.sourceUrl()),
                        job.status().name(), job.appId(), job.entityId(), job.userData(), job.mediaMeta(),
                        job.fileExtension(), job.storageLocation(), job.postProcess(), job.createdAt(),
                        job.createdAt(), job.apiFamily().name(), job.sourceHeaders()}).toList());
    }

    public Optional<UploadJob> find(String jobId) {
        List<UploadJob> found = findByIds(List.of(jobId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<UploadJob> findByIds(Collection<String> jobIds) {
        return findWhereIn("job_id", new ArrayList<>(jobIds));
    }

    /** Every job of each URL, oldest first. */
    public List<UploadJob> findByUrls(Collection<String> urls) {
        List<String> hashes = urls.stream().map(Digests::sha256Hex).toList();
        return findWhereIn("source_url_hash", hashes).stream().filter(j -> urls.contains(j.sourceUrl())).toList();
    }

    /** What ListUrlUploadJobs asks for; null fields do not filter. */
    public record Filter(List<JobStatus> statuses, String errorCode, String appId, OffsetDateTime createdFrom,
            OffsetDateTime createdTo, String sourceUrlPrefix, String jobId) {

        public Filter withoutStatuses() {
            return new Filter(null, errorCode, appId, createdFrom, createdTo, sourceUrlPrefix, jobId);
        }
    }

    /** Newest first, keyset-paged after (createdAt, jobId). */
    public List<UploadJob> list(Filter filter, OffsetDateTime afterCreatedAt, String afterJobId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM upload_job WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        if (afterCreatedAt != null) {
            // a range the (created_at, job_id) index starts from (see MediaRepository.list)
            sql.append(" AND created_at <= ? AND (created_at < ? OR job_id < ?)");
            values.add(afterCreatedAt);
            values.add(afterCreatedAt);
            values.add(afterJobId);
        }
        sql.append(" ORDER BY created_at DESC, job_id DESC");
        return database.withConnection(c -> Database.query(c, limit, sql.toString(), JobRepository::read, values.toArray()));
    }

    /** How many jobs of the filter are in each status. */
    public java.util.Map<String, Long> countByStatus(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT status, COUNT(*) FROM upload_job WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        sql.append(" GROUP BY status");
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status.name(), 0L);
        }
        database.query(sql.toString(), rs -> counts.put(rs.getString(1), rs.getLong(2)), values.toArray());
        return counts;
    }

    private static void where(Filter f, StringBuilder sql, List<Object> values) {
        if (f.statuses() != null && !f.statuses().isEmpty()) {
            sql.append(" AND status IN (").append(Database.marks(f.statuses().size())).append(")");
            f.statuses().forEach(s -> values.add(s.name()));
        }
        condition(sql, values, "error_code = ?", f.errorCode());
        condition(sql, values, "app_id = ?", f.appId());
        condition(sql, values, "created_at >= ?", f.createdFrom());
        condition(sql, values, "created_at <= ?", f.createdTo());
        condition(sql, values, "job_id = ?", f.jobId());
        if (f.sourceUrlPrefix() != null) {
            sql.append(" AND source_url LIKE ? ESCAPE '!'");
            values.add(f.sourceUrlPrefix().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            values.add(value);
        }
    }

    /**
     * Puts a failed or canceled job back in line with its original parameters and a fresh count
     * of attempts (RetryUrlUploadJobs); its next end writes its next event as usual.
     * @return false when the job is not FAIL or CANCELED (any more)
     */
    public boolean retry(String jobId) {
        return database.update("UPDATE upload_job SET status = 'PENDING', attempts = 0, error_code = NULL, "
                + "error_message = NULL, bytes_done = 0, file_size = NULL, completed_at = NULL, lease_owner = NULL, "
                + "lease_expires_at = NULL, waiting_for = NULL, segments_done = NULL, segments_total = NULL, updated_at = ? "
                + "WHERE job_id = ? AND status IN ('FAIL', 'CANCELED')", now(), jobId) == 1;
    }

    /** The job that registers (or registered) a media: a VOD VideoId exists from its submit on. */
    public Optional<UploadJob> findByMediaId(String mediaId) {
        return findWhereIn("media_id", List.of(mediaId)).stream().findFirst();
    }

    private List<UploadJob> findWhereIn(String column, List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        return database.query("SELECT " + COLUMNS + " FROM upload_job WHERE " + column + " IN ("
                + Database.marks(values.size()) + ") ORDER BY created_at, job_id", JobRepository::read, values.toArray());
    }

    /**
     * Cluster mode (PostgreSQL): claims the job unless its source host already has perHost
     * running jobs on any node. The count and the claim are one step for all claims of that
     * host (an advisory lock on the host for the transaction); a dead node's jobs count until
     * their leases run out.
     * @return the claimed job; empty with hostBusy when the host is at its limit; empty without
     *         when the job is not claimable (ended, or running elsewhere)
     */
    public HostClaim claimWithinHostCap(UploadJob job, String owner, OffsetDateTime leaseUntil, String host, int perHost) {
        OffsetDateTime now = now();
        return database.inTransaction(c -> {
            Database.query(c, 1, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> null, "fetch:" + host);
            long running = Database.query(c, 1, "SELECT COUNT(*) FROM upload_job WHERE source_host = ? "
                    + "AND status = 'PROCESSING' AND lease_expires_at >= ? AND job_id <> ?",
                    rs -> rs.getLong(1), host, now, job.jobId()).get(0);
            if (running >= perHost) {
                return new HostClaim(Optional.empty(), true);
            }
            return new HostClaim(claim(c, job, owner, host, leaseUntil, now), false);
        });
    }

    /** What claimWithinHostCap did: the job it claimed, or whether its host was at its limit. */
    public record HostClaim(Optional<UploadJob> job, boolean hostBusy) {
    }

    /**
     * Takes a job for this node: PENDING, or PROCESSING whose lease ran out (its node died).
     * Exactly one node wins the conditional update; the attempt it begins is counted with it.
     */
    public Optional<UploadJob> claim(UploadJob job, String owner, OffsetDateTime leaseUntil) {
        return database.withConnection(c -> claim(c, job, owner, null, leaseUntil, now()));
    }

    /**
     * The claim's conditional update of a job as it was read. It holds only while the job still
     * has the attempts it was read with, so the claimed job is that row with the claim's changes,
     * not read again (a read per job); sourceHost is kept for cluster counts (or null).
     */
    private static Optional<UploadJob> claim(Connection c, UploadJob job, String owner, String sourceHost,
            OffsetDateTime leaseUntil, OffsetDateTime now) throws SQLException {
        int updated = Database.update(c, "UPDATE upload_job SET status = 'PROCESSING', lease_owner = ?, node_id = ?, "
                + "source_host = ?, lease_expires_at = ?, attempts = ?, updated_at = ? WHERE job_id = ? AND attempts = ? "
                + "AND (status = 'PENDING' OR (status = 'PROCESSING' AND lease_expires_at < ?))",
                owner, owner, sourceHost, leaseUntil, job.attempts() + 1, now, job.jobId(), job.attempts(), now);
        return updated == 1 ? Optional.of(job.claimedBy(owner)) : Optional.empty();
    }

    /**
     * Records download progress and extends the lease of a running job.
     * @return false when the job is no longer this node's to run (canceled, or taken over)
     */
    public boolean recordProgress(String jobId, String owner, long bytesDone, Long fileSize, Integer segmentsDone,
            Integer segmentsTotal, OffsetDateTime leaseUntil) {
        return database.update("UPDATE upload_job SET bytes_done = ?, file_size = ?, segments_done = ?, segments_total = ?, "
                + "lease_expires_at = ?, updated_at = ?, waiting_for = NULL WHERE job_id = ? AND status = 'PROCESSING' "
                + "AND lease_owner = ?", bytesDone, fileSize, segmentsDone, segmentsTotal, leaseUntil, now(), jobId, owner) == 1;
    }

    /** Notes what a running job waits for (GetUrlUploadInfos shows it as WaitingFor until it makes progress). */
    public void markWaiting(String jobId, String waitingFor) {
        database.update("UPDATE upload_job SET waiting_for = ?, updated_at = ? WHERE job_id = ? AND status = 'PROCESSING'",
                waitingFor, now(), jobId);
    }

    /**
     * Ends a job that is not already finished, on the caller's transaction. With an owner, only
     * while that node still holds the job (not returned to PENDING at shutdown, not taken over).
     * @return false when the job had already ended or is no longer the owner's
     */
    public boolean finish(Connection c, String jobId, JobStatus status, Long fileSize, String errorCode,
            String errorMessage, String owner) throws SQLException {
        OffsetDateTime now = now();
        String set = "UPDATE upload_job SET status = ?, file_size = COALESCE(?, file_size), "
                + "bytes_done = COALESCE(?, bytes_done), error_code = ?, error_message = ?, completed_at = ?, updated_at = ?, "
                + "lease_owner = NULL, lease_expires_at = NULL, waiting_for = NULL WHERE job_id = ? AND ";
        return (owner == null
                ? Database.update(c, set + "status IN ('PENDING', 'PROCESSING')", status.name(), fileSize, fileSize,
                        errorCode, errorMessage, now, now, jobId)
                : Database.update(c, set + "status = 'PROCESSING' AND lease_owner = ?", status.name(), fileSize, fileSize,
                        errorCode, errorMessage, now, now, jobId, owner)) == 1;
    }

    /**
     * Counts one more attempt of a running job (a redelivery), unless its attempts are spent.
     * @return the attempt number now starting, or -1 when no attempt is left (or the job ended)
     */
    public int countAttempt(String jobId, int maxAttempts) {
        return database.withConnection(c -> {
            if (Database.update(c, "UPDATE upload_job SET attempts = attempts + 1, updated_at = ? "
                    + "WHERE job_id = ? AND status = 'PROCESSING' AND attempts < ?", now(), jobId, maxAttempts) != 1) {
                return -1;
            }
            return Database.query(c, 1, "SELECT attempts FROM upload_job WHERE job_id = ?", rs -> rs.getInt(1), jobId)
                    .stream().findFirst().orElse(-1);
        });
    }

    /** Extends the leases of the jobs this node is running. */
    public void renewLeases(String owner, Collection<String> jobIds, OffsetDateTime leaseUntil) {
        if (jobIds.isEmpty()) {
            return;
        }
        List<Object> parameters = new ArrayList<>(List.of(leaseUntil, owner));
        parameters.addAll(jobIds);
        database.update("UPDATE upload_job SET lease_expires_at = ? WHERE lease_owner = ? AND status = 'PROCESSING' "
                + "AND job_id IN (" + Database.marks(jobIds.size()) + ")", parameters.toArray());
    }

    /** Gives a job back to the queue's waiting line without counting the attempt (its host was busy, or shutdown). */
    /**
     * Cluster mode, at a graceful stop: the leases of this node's unfinished jobs run out now, so
     * the next stale sweep (on any node) queues them again through the broker.
     */
    public void expireLeases(String owner, Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        List<Object> parameters = new ArrayList<>(List.of(now().minusSeconds(1), owner));
        parameters.addAll(jobIds);
        database.update("UPDATE upload_job SET lease_expires_at = ? WHERE lease_owner = ? AND status = 'PROCESSING' "
                + "AND job_id IN (" + Database.marks(jobIds.size()) + ")", parameters.toArray());
    }

    public void returnToPending(String owner, Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        List<Object> parameters = new ArrayList<>(List.of(now(), owner));
        parameters.addAll(jobIds);
        database.update("UPDATE upload_job SET status = 'PENDING', lease_owner = NULL, lease_expires_at = NULL, "
                + "updated_at = ? WHERE lease_owner = ? AND status = 'PROCESSING' AND job_id IN ("
                + Database.marks(jobIds.size()) + ")", parameters.toArray());
    }

    /**
     * The sweep's two questions, each one range of the (status, updated_at) index: running jobs
     * whose lease ran out (few: at most the workers of all nodes), and waiting jobs untouched
     * since a time, oldest first ("ORDER BY status, updated_at" is the index's order, which H2
     * then reads in order and stops at the limit; "updated_at" alone made it sort). Asked as one
     * OR, H2 walked every job by created_at (2.4 to 3.5 s a sweep at a million jobs).
     * QueryPlansTest holds both to the index.
     */
    static final String STALE_RUNNING_SQL = "SELECT job_id FROM upload_job WHERE status = 'PROCESSING' "
            + "AND lease_expires_at < ? ORDER BY created_at";
    static final String STALE_WAITING_SQL = "SELECT job_id FROM upload_job WHERE status = 'PENDING' "
            + "AND updated_at < ? ORDER BY status, updated_at";
    private static final int REQUEUE_LIMIT = 10_000;

    /**
     * Jobs to put on the queue again: running ones whose node stopped renewing the lease, and
     * waiting ones untouched since pendingBefore (their queue message may have died with a
     * node). Their updated_at is touched so that the next sweep leaves them be.
     */
    public List<String> idsToRequeue(OffsetDateTime pendingBefore) {
        OffsetDateTime now = now();
        return database.inTransaction(c -> {
            List<String> ids = new ArrayList<>(Database.query(c, REQUEUE_LIMIT, STALE_RUNNING_SQL, rs -> rs.getString(1),
                    now));
            if (ids.size() < REQUEUE_LIMIT) {
                ids.addAll(Database.query(c, REQUEUE_LIMIT - ids.size(), STALE_WAITING_SQL, rs -> rs.getString(1),
                        pendingBefore));
            }
            for (String id : ids) {
                Database.update(c, "UPDATE upload_job SET updated_at = ? WHERE job_id = ?", now, id);
            }
            return ids;
        });
    }

    private static UploadJob read(ResultSet rs) throws SQLException {
        return new UploadJob(
                rs.getString("job_id"),
                rs.getString("media_id"),
                rs.getString("source_url"),
                JobStatus.valueOf(rs.getString("status")),
                rs.getString("app_id"),
                rs.getString("entity_id"),
                rs.getString("user_data"),
                rs.getString("media_meta"),
                rs.getString("file_extension"),
                rs.getString("storage_location"),
                rs.getString("post_process"),
                rs.getObject("file_size", Long.class),
                rs.getLong("bytes_done"),
                rs.getInt("attempts"),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class),
                rs.getString("waiting_for"),
                ApiFamily.valueOf(rs.getString("api_family")),
                rs.getString("source_headers"),
                rs.getObject("segments_done", Integer.class),
                rs.getObject("segments_total", Integer.class),
                rs.getString("node_id"));
    }
}
