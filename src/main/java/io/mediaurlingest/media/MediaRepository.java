package io.mediaurlingest.media;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mediaurlingest.Database;
import io.mediaurlingest.Digests;
import io.mediaurlingest.Ids;

/** The media library in the database. */
public class MediaRepository {

    private static final String COLUMNS = "media_id, title, description, tags, cover_url, cate_id, media_type, status, "
            + "business_type, category, app_id, entity_id, user_data, reference_id, client_token, input_url, media_source, "
            + "storage_location, bucket, object_key, file_name, file_size, content_type, md5, sha256, probe, created_at, updated_at";

    /** How long a listing's TotalCount is kept (a COUNT over a million rows costs a scan). */
    static final long COUNT_TTL_NANOS = java.time.Duration.ofSeconds(5).toNanos();

    private final Database database;
    /** Bumped by every write of this node: a count taken before it is not reused. */
    private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
    /** Filter → {count, writes when counted, time it expires}. */
    private final java.util.Map<Filter, long[]> counts = new java.util.concurrent.ConcurrentHashMap<>();

    public MediaRepository(Database database) {
        this.database = database;
    }

    /** What ListMediaBasicInfos and GetVideoList ask for; null fields do not filter. */
    public record Filter(String mediaType, String status, String businessType, String mediaSource, String appId,
            OffsetDateTime createdFrom, OffsetDateTime createdTo, Long cateId, String storageLocation) {
    }

    /** Where a page starts: after (createdAt, mediaId) in the sort order. */
    public record PageStart(OffsetDateTime createdAt, String mediaId) {
    }

    /**
     * Registers a media asset on the caller's transaction. A job that runs again after a crash
     * registers the same MediaId: the existing row stays, so there is exactly one.
     */
    public void insertIfAbsent(Connection c, MediaAsset m) throws SQLException {
        writes.incrementAndGet();
        if (!Database.query(c, 1, "SELECT 1 FROM media WHERE media_id = ?", rs -> 1, m.mediaId()).isEmpty()) {
            return;
        }
        Database.update(c, "INSERT INTO media (" + COLUMNS + ", input_url_hash, app_scope) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.mediaId(), m.title(), m.description(), m.tags(), m.coverUrl(), m.cateId(), m.mediaType(), m.status(),
                m.businessType(), m.category(), m.appId(), m.entityId(), m.userData(), m.referenceId(), m.clientToken(),
                m.inputUrl(), m.mediaSource(), m.storageLocation(), m.bucket(), m.objectKey(), m.fileName(), m.fileSize(),
                m.contentType(), m.md5(), m.sha256(), m.probe(), m.createdAt(), m.updatedAt(),
                Digests.sha256Hex(m.inputUrl()), appScope(m.appId()));
    }

    public void insert(MediaAsset m) {
        database.inTransaction(c -> {
            insertIfAbsent(c, m);
            return null;
        });
    }

    /** Writes the descriptive fields of an existing media asset. */
    public void update(MediaAsset m) {
        writes.incrementAndGet();
        database.update("UPDATE media SET title = ?, description = ?, tags = ?, cover_url = ?, cate_id = ?, "
                + "business_type = ?, category = ?, user_data = ?, reference_id = ?, updated_at = ? WHERE media_id = ?",
                m.title(), m.description(), m.tags(), m.coverUrl(), m.cateId(), m.businessType(), m.category(), m.userData(),
                m.referenceId(), m.updatedAt(), m.mediaId());
    }

    /** Records how a media's workflow ended (status RUNNING, SUCCESS or FAIL). */
    public void workflowState(String mediaId, String workflowId, String status, String error) {
        database.update("UPDATE media SET workflow_id = ?, workflow_status = ?, workflow_error = ?, updated_at = ? "
                + "WHERE media_id = ?", workflowId, status,
                error == null || error.length() <= 1000 ? error : error.substring(0, 1000), Ids.now(), mediaId);
    }

    /** The workflow fields of a media: id, status, error (nulls when none ran). */
    public String[] workflow(String mediaId) {
        return database.queryOne("SELECT workflow_id, workflow_status, workflow_error FROM media WHERE media_id = ?",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, mediaId).orElse(new String[3]);
    }

    public void setCoverUrl(String mediaId, String coverUrl) {
        database.update("UPDATE media SET cover_url = ?, updated_at = ? WHERE media_id = ?", coverUrl, Ids.now(), mediaId);
    }

    public boolean delete(String mediaId) {
        writes.incrementAndGet();
        return database.update("DELETE FROM media WHERE media_id = ?", mediaId) == 1;
    }

    public Optional<MediaAsset> find(String mediaId) {
        return findOne("media_id = ?", mediaId);
    }

    public Optional<MediaAsset> findByInputUrl(String inputUrl) {
        return findOne("input_url_hash = ?", Digests.sha256Hex(inputUrl)).filter(m -> m.inputUrl().equals(inputUrl));
    }

    /** The media of one AppId (null: none) with this ReferenceId: unique per AppId, invisible across them. */
    public Optional<MediaAsset> findByReferenceId(String appId, String referenceId) {
        return findOne("app_scope = ? AND reference_id = ?", appScope(appId), referenceId);
    }

    /** The media registered by one AppId (null: none) with this ClientToken. */
    public Optional<MediaAsset> findByClientToken(String appId, String clientToken) {
        return findOne("app_scope = ? AND client_token = ?", appScope(appId), clientToken);
    }

    /** How many media name this stored object (by its canonical URL). */
    public int countByInputUrl(String inputUrl) {
        return database.queryOne("SELECT COUNT(*) FROM media WHERE input_url_hash = ? AND input_url = ?",
                rs -> rs.getInt(1), Digests.sha256Hex(inputUrl), inputUrl).orElse(0);
    }

    /** The AppId a row's unique keys are scoped to: '' for none (NULLs would never collide in a unique index). */
    private static String appScope(String appId) {
        return appId == null ? "" : appId;
    }

    public int count(String mediaId) {
        return database.queryOne("SELECT COUNT(*) FROM media WHERE media_id = ?", rs -> rs.getInt(1), mediaId).orElse(0);
    }

    /** One page in creation order (ascending or descending), keyset-paged after a start. */
    public List<MediaAsset> list(Filter filter, boolean ascending, PageStart after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM media WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        if (after != null) {
            // "created_at <= start" first: a range the (created_at, media_id) index starts from, on
            // H2 and PostgreSQL alike (an OR of the two cases alone makes both scan from the end)
            String cmp = ascending ? ">" : "<";
            sql.append(" AND created_at ").append(cmp).append("= ? AND (created_at ").append(cmp)
                    .append(" ? OR media_id ").append(cmp).append(" ?)");
            values.add(after.createdAt());
            values.add(after.createdAt());
            values.add(after.mediaId());
        }
        String direction = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY created_at ").append(direction).append(", media_id ").append(direction);
        return database.withConnection(c -> Database.query(c, limit, sql.toString(), MediaRepository::read, values.toArray()));
    }

    /** One page in creation order by position (VOD's PageNo): for the first few thousand rows only. */
    public List<MediaAsset> page(Filter filter, boolean ascending, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM media WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        String direction = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY created_at ").append(direction).append(", media_id ").append(direction).append(" OFFSET ? ROWS");
        values.add(offset);
        return database.withConnection(c -> Database.query(c, limit, sql.toString(), MediaRepository::read, values.toArray()));
    }

    /**
     * How many media the filter finds: counted again after a write of this node or 5 s on, else
     * the last count (another node's writes show within 5 s).
     */
    public long count(Filter filter) {
        long generation = writes.get();
        long now = System.nanoTime();
        long[] cached = counts.get(filter);
        if (cached != null && cached[1] == generation && now - cached[2] < 0) {
            return cached[0];
        }
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM media WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        long count = database.queryOne(sql.toString(), rs -> rs.getLong(1), values.toArray()).orElse(0L);
        if (counts.size() > 1000) {
            counts.clear(); // many filters (time ranges): keep the cache small
        }
        counts.put(filter, new long[] {count, generation, now + COUNT_TTL_NANOS});
        return count;
    }

    private static void where(Filter f, StringBuilder sql, List<Object> values) {
        condition(sql, values, "media_type = ?", f.mediaType());
        condition(sql, values, "status = ?", f.status());
        condition(sql, values, "business_type = ?", f.businessType());
        condition(sql, values, "media_source = ?", f.mediaSource());
        condition(sql, values, "app_id = ?", f.appId());
        condition(sql, values, "created_at >= ?", f.createdFrom());
        condition(sql, values, "created_at <= ?", f.createdTo());
        condition(sql, values, "cate_id = ?", f.cateId());
        condition(sql, values, "storage_location = ?", f.storageLocation());
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            values.add(value);
        }
    }

    /** The one row matching the condition (its placeholders filled with the values in order). */
    private Optional<MediaAsset> findOne(String condition, Object... values) {
        return database.queryOne("SELECT " + COLUMNS + " FROM media WHERE " + condition, MediaRepository::read, values);
    }

    private static MediaAsset read(ResultSet rs) throws SQLException {
        return new MediaAsset(
                rs.getString("media_id"), rs.getString("title"), rs.getString("description"), rs.getString("tags"),
                rs.getString("cover_url"), rs.getObject("cate_id", Long.class), rs.getString("media_type"),
                rs.getString("status"), rs.getString("business_type"), rs.getString("category"), rs.getString("app_id"),
                rs.getString("entity_id"), rs.getString("user_data"), rs.getString("reference_id"),
                rs.getString("client_token"), rs.getString("input_url"), rs.getString("media_source"),
                rs.getString("storage_location"), rs.getString("bucket"), rs.getString("object_key"),
                rs.getString("file_name"), rs.getLong("file_size"), rs.getString("content_type"), rs.getString("md5"),
                rs.getString("sha256"), rs.getString("probe"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }

}
