package io.mediaurlingest.media;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Optional;

import io.mediaurlingest.Database;

/** The media library in the database. */
public class MediaRepository {

    private final Database database;

    public MediaRepository(Database database) {
        this.database = database;
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO media (media_id, title, description, tags, cover_url, "
                + "cate_id, media_type, status, app_id, entity_id, user_data, input_url, storage_location, bucket, "
                + "object_key, file_name, file_size, content_type, md5, sha256, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, m.mediaId());
            ps.setString(2, m.title());
            ps.setString(3, m.description());
            ps.setString(4, m.tags());
            ps.setString(5, m.coverUrl());
            if (m.cateId() == null) {
                ps.setNull(6, Types.BIGINT);
            } else {
                ps.setLong(6, m.cateId());
            }
            ps.setString(7, m.mediaType());
            ps.setString(8, m.status());
            ps.setString(9, m.appId());
            ps.setString(10, m.entityId());
            ps.setString(11, m.userData());
            ps.setString(12, m.inputUrl());
            ps.setString(13, m.storageLocation());
            ps.setString(14, m.bucket());
            ps.setString(15, m.objectKey());
            ps.setString(16, m.fileName());
            ps.setLong(17, m.fileSize());
            ps.setString(18, m.contentType());
            ps.setString(19, m.md5());
            ps.setString(20, m.sha256());
            ps.setObject(21, m.createdAt());
            ps.setObject(22, m.updatedAt());
            ps.executeUpdate();
        }
    }

    public Optional<MediaAsset> find(String mediaId) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM media WHERE media_id = ?")) {
                ps.setString(1, mediaId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
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

    private static MediaAsset read(ResultSet rs) throws SQLException {
        return new MediaAsset(
                rs.getString("media_id"), rs.getString("title"), rs.getString("description"), rs.getString("tags"),
                rs.getString("cover_url"), rs.getObject("cate_id", Long.class), rs.getString("media_type"),
                rs.getString("status"), rs.getString("app_id"), rs.getString("entity_id"), rs.getString("user_data"),
                rs.getString("input_url"), rs.getString("storage_location"), rs.getString("bucket"),
                rs.getString("object_key"), rs.getString("file_name"), rs.getLong("file_size"),
                rs.getString("content_type"), rs.getString("md5"), rs.getString("sha256"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }
}
