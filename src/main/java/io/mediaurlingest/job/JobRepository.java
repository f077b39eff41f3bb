package io.mediaurlingest.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.mediaurlingest.Database;
import io.mediaurlingest.Digests;
import io.mediaurlingest.Ids;

/** Jobs in the database, the source of truth; the queue only carries their ids. */
public class JobRepository {

    private static final String COLUMNS = "job_id, media_id, source_url, status, app_id, entity_id, user_data, "
            + "media_meta, file_extension, storage_location, post_process, file_size, bytes_done, attempts, "
            + "error_code, error_message, created_at, completed_at";

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
        String sql = "INSERT INTO upload_job (job_id, media_id, source_url, source_url_hash, status, app_id, entity_id, "
                + "user_data, media_meta, file_extension, storage_location, post_process, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (UploadJob job : jobs) {
                ps.setString(1, job.jobId());
                ps.setString(2, job.mediaId());
                ps.setString(3, job.sourceUrl());
                ps.setString(4, Digests.sha256Hex(job.sourceUrl()));
                ps.setString(5, job.status().name());
                ps.setString(6, job.appId());
                ps.setString(7, job.entityId());
                ps.setString(8, job.userData());
                ps.setString(9, job.mediaMeta());
                ps.setString(10, job.fileExtension());
                ps.setString(11, job.storageLocation());
                ps.setString(12, job.postProcess());
                ps.setObject(13, job.createdAt());
                ps.setObject(14, job.createdAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public Optional<UploadJob> find(String jobId) {
        List<UploadJob> found = findByIds(List.of(jobId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<UploadJob> findByIds(Collection<String> jobIds) {
        return query("job_id", new ArrayList<>(jobIds));
    }

    /** Every job of each URL, oldest first. */
    public List<UploadJob> findByUrls(Collection<String> urls) {
        List<String> hashes = urls.stream().map(Digests::sha256Hex).toList();
        return query("source_url_hash", hashes).stream().filter(j -> urls.contains(j.sourceUrl())).toList();
    }

    private List<UploadJob> query(String column, List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
        String sql = "SELECT " + COLUMNS + " FROM upload_job WHERE " + column + " IN (" + marks + ") ORDER BY created_at, job_id";
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setString(i + 1, values.get(i));
                }
                List<UploadJob> jobs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(read(rs));
                    }
                }
                return jobs;
            }
        });
    }

    /**
     * Takes a job for this node: PENDING, or PROCESSING whose lease ran out (its node died).
     * Exactly one node wins the conditional update.
     */
    public Optional<UploadJob> claim(String jobId, String owner, OffsetDateTime leaseUntil) {
        OffsetDateTime now = now();
        int updated = database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET status = 'PROCESSING', "
                    + "lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ? "
                    + "WHERE job_id = ? AND (status = 'PENDING' OR (status = 'PROCESSING' AND lease_expires_at < ?))")) {
                ps.setString(1, owner);
                ps.setObject(2, leaseUntil);
                ps.setObject(3, now);
                ps.setString(4, jobId);
                ps.setObject(5, now);
                return ps.executeUpdate();
            }
        });
        return updated == 1 ? find(jobId) : Optional.empty();
    }

    /**
     * Records download progress and extends the lease of a running job.
     * @return false when the job is no longer this node's to run (canceled, or taken over)
     */
    public boolean recordProgress(String jobId, String owner, long bytesDone, Long fileSize, OffsetDateTime leaseUntil) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET bytes_done = ?, file_size = ?, "
                    + "lease_expires_at = ?, updated_at = ? WHERE job_id = ? AND status = 'PROCESSING' AND lease_owner = ?")) {
                ps.setLong(1, bytesDone);
                Database.setLong(ps, 2, fileSize);
                ps.setObject(3, leaseUntil);
                ps.setObject(4, now());
                ps.setString(5, jobId);
                ps.setString(6, owner);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Ends a job that is not already finished, on the caller's transaction. With an owner, only
     * while that node still holds the job (not returned to PENDING at shutdown, not taken over).
     * @return false when the job had already ended or is no longer the owner's
     */
    public boolean finish(Connection c, String jobId, JobStatus status, Long fileSize, String errorCode,
            String errorMessage, String owner) throws SQLException {
        OffsetDateTime now = now();
        String which = owner == null ? "status IN ('PENDING', 'PROCESSING')" : "status = 'PROCESSING' AND lease_owner = ?";
        try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET status = ?, file_size = COALESCE(?, file_size), "
                + "bytes_done = COALESCE(?, bytes_done), error_code = ?, error_message = ?, completed_at = ?, updated_at = ?, "
                + "lease_owner = NULL, lease_expires_at = NULL WHERE job_id = ? AND " + which)) {
            ps.setString(1, status.name());
            Database.setLong(ps, 2, fileSize);
            Database.setLong(ps, 3, fileSize);
            ps.setString(4, errorCode);
            ps.setString(5, errorMessage);
            ps.setObject(6, now);
            ps.setObject(7, now);
            ps.setString(8, jobId);
            if (owner != null) {
                ps.setString(9, owner);
            }
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Counts one more attempt of a running job, unless its attempts are spent.
     * @return the attempt number now starting, or -1 when no attempt is left (or the job ended)
     */
    public int countAttempt(String jobId, int maxAttempts) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET attempts = attempts + 1, updated_at = ? "
                    + "WHERE job_id = ? AND status = 'PROCESSING' AND attempts < ?")) {
                ps.setObject(1, now());
                ps.setString(2, jobId);
                ps.setInt(3, maxAttempts);
                if (ps.executeUpdate() != 1) {
                    return -1;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT attempts FROM upload_job WHERE job_id = ?")) {
                ps.setString(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : -1;
                }
            }
        });
    }

    /** Extends the leases of the jobs this node is running. */
    public void renewLeases(String owner, Collection<String> jobIds, OffsetDateTime leaseUntil) {
        if (jobIds.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(jobIds.size(), "?"));
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET lease_expires_at = ? WHERE lease_owner = ? "
                    + "AND status = 'PROCESSING' AND job_id IN (" + marks + ")")) {
                ps.setObject(1, leaseUntil);
                ps.setString(2, owner);
                int i = 3;
                for (String id : jobIds) {
                    ps.setString(i++, id);
                }
                return ps.executeUpdate();
            }
        });
    }

    /** Gives a job back to the queue's waiting line without counting the attempt (its host was busy, or shutdown). */
    public void returnToPending(String owner, Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(jobIds.size(), "?"));
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET status = 'PENDING', lease_owner = NULL, "
                    + "lease_expires_at = NULL, updated_at = ? WHERE lease_owner = ? AND status = 'PROCESSING' "
                    + "AND job_id IN (" + marks + ")")) {
                ps.setObject(1, now());
                ps.setString(2, owner);
                int i = 3;
                for (String id : jobIds) {
                    ps.setString(i++, id);
                }
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Jobs to put on the queue again: running ones whose node stopped renewing the lease, and
     * waiting ones untouched since pendingBefore (their queue message may have died with a
     * node). Their updated_at is touched so that the next sweep leaves them be.
     */
    public List<String> idsToRequeue(OffsetDateTime pendingBefore) {
        OffsetDateTime now = now();
        return database.inTransaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id FROM upload_job WHERE "
                    + "(status = 'PROCESSING' AND lease_expires_at < ?) OR (status = 'PENDING' AND updated_at < ?) "
                    + "ORDER BY created_at")) {
                ps.setObject(1, now);
                ps.setObject(2, pendingBefore);
                ps.setMaxRows(10_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE upload_job SET updated_at = ? WHERE job_id = ?")) {
                for (String id : ids) {
                    ps.setObject(1, now);
                    ps.setString(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
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
                (Long) rs.getObject("file_size", Long.class),
                rs.getLong("bytes_done"),
                rs.getInt("attempts"),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("completed_at", OffsetDateTime.class));
    }

}
