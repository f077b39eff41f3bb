package io.mediaurlingest.media;

import java.sql.Connection;
import java.sql.PreparedStatement;
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

    private final Database database;

    public MediaRepository(Database database) {
        this.database = database;
    }

    /** What ListMediaBasicInfos asks for; null fields do not filter. */
    public record Filter(String mediaType, String status, String businessType, String mediaSource, String appId,
            OffsetDateTime createdFrom, OffsetDateTime createdTo) {
    }

    /** Where a page starts: after (createdAt, mediaId) in the sort order. */
    public record PageStart(OffsetDateTime createdAt, String mediaId) {
    }

    /**
     * Registers a media asset on the caller's transaction. A job that runs again after a crash
     * registers the same MediaId: the existing row stays, so there is exactly one.
     */
    public void insertIfAbsent(Connection c, MediaAsset m) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM media WHERE media_id = ?")) {
            exists.setString(1, m.mediaId());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO media (" + COLUMNS + ", input_url_hash, app_scope) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 0;
            ps.setString(++i, m.mediaId());
            ps.setString(++i, m.title());
            ps.setString(++i, m.description());
            ps.setString(++i, m.tags());
            ps.setString(++i, m.coverUrl());
            Database.setLong(ps, ++i, m.cateId());
            ps.setString(++i, m.mediaType());
            ps.setString(++i, m.status());
            ps.setString(++i, m.businessType());
            ps.setString(++i, m.category());
            ps.setString(++i, m.appId());
            ps.setString(++i, m.entityId());
            ps.setString(++i, m.userData());
            ps.setString(++i, m.referenceId());
            ps.setString(++i, m.clientToken());
            ps.setString(++i, m.inputUrl());
            ps.setString(++i, m.mediaSource());
            ps.setString(++i, m.storageLocation());
            ps.setString(++i, m.bucket());
            ps.setString(++i, m.objectKey());
            ps.setString(++i, m.fileName());
            ps.setLong(++i, m.fileSize());
            ps.setString(++i, m.contentType());
            ps.setString(++i, m.md5());
            ps.setString(++i, m.sha256());
            ps.setString(++i, m.probe());
            ps.setObject(++i, m.createdAt());
            ps.setObject(++i, m.updatedAt());
            ps.setString(++i, Digests.sha256Hex(m.inputUrl()));
            ps.setString(++i, appScope(m.appId()));
            ps.executeUpdate();
        }
    }

    public void insert(MediaAsset m) {
        database.inTransaction(c -> {
            insertIfAbsent(c, m);
            return null;
        });
    }

    /** Writes the descriptive fields of an existing media asset. */
    public void update(MediaAsset m) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE media SET title = ?, description = ?, tags = ?, "
                    + "cover_url = ?, cate_id = ?, business_type = ?, category = ?, user_data = ?, reference_id = ?, "
                    + "updated_at = ? WHERE media_id = ?")) {
                ps.setString(1, m.title());
                ps.setString(2, m.description());
                ps.setString(3, m.tags());
                ps.setString(4, m.coverUrl());
                Database.setLong(ps, 5, m.cateId());
                ps.setString(6, m.businessType());
                ps.setString(7, m.category());
                ps.setString(8, m.userData());
                ps.setString(9, m.referenceId());
                ps.setObject(10, m.updatedAt());
                ps.setString(11, m.mediaId());
                return ps.executeUpdate();
            }
        });
    }

    /** Records how a media's workflow ended (status RUNNING, SUCCESS or FAIL). */
    public void workflowState(String mediaId, String workflowId, String status, String error) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE media SET workflow_id = ?, workflow_status = ?, "
                    + "workflow_error = ?, updated_at = ? WHERE media_id = ?")) {
                ps.setString(1, workflowId);
                ps.setString(2, status);
                ps.setString(3, error == null || error.length() <= 1000 ? error : error.substring(0, 1000));
                ps.setObject(4, Ids.now());
                ps.setString(5, mediaId);
                return ps.executeUpdate();
            }
        });
    }

    /** The workflow fields of a media: id, status, error (nulls when none ran). */
    public String[] workflow(String mediaId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT workflow_id, workflow_status, workflow_error FROM media WHERE media_id = ?")) {
                ps.setString(1, mediaId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3)} : new String[3];
                }
            }
        });
    }

    public void setCoverUrl(String mediaId, String coverUrl) {
        database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE media SET cover_url = ?, updated_at = ? WHERE media_id = ?")) {
                ps.setString(1, coverUrl);
                ps.setObject(2, Ids.now());
                ps.setString(3, mediaId);
                return ps.executeUpdate();
            }
        });
    }

    public boolean delete(String mediaId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM media WHERE media_id = ?")) {
                ps.setString(1, mediaId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public Optional<MediaAsset> find(String mediaId) {
        return findOne("media_id", mediaId);
    }

    public Optional<MediaAsset> findByInputUrl(String inputUrl) {
        return findOne("input_url_hash", Digests.sha256Hex(inputUrl)).filter(m -> m.inputUrl().equals(inputUrl));
    }

    /** The media of one AppId (null: none) with this ReferenceId: unique per AppId, invisible across them. */
    public Optional<MediaAsset> findByReferenceId(String appId, String referenceId) {
        return findOne("app_scope = ? AND reference_id", appScope(appId), referenceId);
    }

    /** The media registered by one AppId (null: none) with this ClientToken. */
    public Optional<MediaAsset> findByClientToken(String appId, String clientToken) {
        return findOne("app_scope = ? AND client_token", appScope(appId), clientToken);
    }

    /** How many media name this stored object (by its canonical URL). */
    public int countByInputUrl(String inputUrl) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM media WHERE input_url_hash = ? AND input_url = ?")) {
                ps.setString(1, Digests.sha256Hex(inputUrl));
                ps.setString(2, inputUrl);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** The AppId a row's unique keys are scoped to: '' for none (NULLs would never collide in a unique index). */
    private static String appScope(String appId) {
        return appId == null ? "" : appId;
    }

    public int count(String mediaId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM media WHERE media_id = ?")) {
                ps.setString(1, mediaId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** One page in creation order (ascending or descending), keyset-paged after a start. */
    public List<MediaAsset> list(Filter filter, boolean ascending, PageStart after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM media WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        if (after != null) {
            String cmp = ascending ? ">" : "<";
            sql.append(" AND (created_at ").append(cmp).append(" ? OR (created_at = ? AND media_id ").append(cmp).append(" ?))");
            values.add(after.createdAt());
            values.add(after.createdAt());
            values.add(after.mediaId());
        }
        String direction = ascending ? "ASC" : "DESC";
        sql.append(" ORDER BY created_at ").append(direction).append(", media_id ").append(direction);
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 1, values.get(i));
                }
                ps.setMaxRows(limit);
                List<MediaAsset> page = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(read(rs));
                    }
                }
                return page;
            }
        });
    }

    public long count(Filter filter) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM media WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        where(filter, sql, values);
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    ps.setObject(i + 1, values.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static void where(Filter f, StringBuilder sql, List<Object> values) {
        condition(sql, values, "media_type = ?", f.mediaType());
        condition(sql, values, "status = ?", f.status());
        condition(sql, values, "business_type = ?", f.businessType());
        condition(sql, values, "media_source = ?", f.mediaSource());
        condition(sql, values, "app_id = ?", f.appId());
        condition(sql, values, "created_at >= ?", f.createdFrom());
        condition(sql, values, "created_at <= ?", f.createdTo());
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            values.add(value);
        }
    }

    /** The one row where {@code condition = ?}; the condition may hold more placeholders, filled first. */
    private Optional<MediaAsset> findOne(String condition, String... values) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM media WHERE " + condition + " = ?")) {
                for (int i = 0; i < values.length; i++) {
                    ps.setString(i + 1, values[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
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
