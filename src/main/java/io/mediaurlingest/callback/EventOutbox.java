package io.mediaurlingest.callback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.mediaurlingest.Database;
import io.mediaurlingest.Ids;

/**
 * Events waiting for delivery, kept in the database so none is lost on a crash. An event is
 * written in the transaction that ends its job; a sender claims it for one attempt at a time.
 */
public class EventOutbox {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";
    public static final String NO_RECEIVER = "NO_RECEIVER";

    private final Database database;

    public EventOutbox(Database database) {
        this.database = database;
    }

    public void add(Connection c, CallbackEvent event) throws SQLException {
        OffsetDateTime now = Ids.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO callback_event (event_id, event_type, job_id, "
                + "media_id, app_id, callback_url, payload, status, next_attempt_at, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, event.eventId());
            ps.setString(2, event.eventType());
            ps.setString(3, event.jobId());
            ps.setString(4, event.mediaId());
            ps.setString(5, event.appId());
            ps.setString(6, event.callbackUrl());
            ps.setString(7, event.payload());
            ps.setString(8, event.callbackUrl() == null ? NO_RECEIVER : PENDING);
            ps.setObject(9, now);
            ps.setObject(10, now);
            ps.executeUpdate();
        }
    }

    /**
     * Takes a due event for one delivery attempt: pushes its next attempt past the attempt's
     * timeout so that no other sender picks it up meanwhile.
     */
    public Optional<CallbackEvent> claim(String eventId, Duration hold) {
        OffsetDateTime now = Ids.now();
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE callback_event SET next_attempt_at = ?, "
                    + "attempts = attempts + 1 WHERE event_id = ? AND status = 'PENDING' AND next_attempt_at <= ?")) {
                ps.setObject(1, now.plus(hold));
                ps.setString(2, eventId);
                ps.setObject(3, now);
                if (ps.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id, event_type, job_id, media_id, app_id, "
                    + "callback_url, payload FROM callback_event WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(new CallbackEvent(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        });
    }

    public void delivered(String eventId) {
        update("UPDATE callback_event SET status = 'DELIVERED', delivered_at = ?, last_error = NULL WHERE event_id = ?",
                Ids.now(), eventId);
    }

    /** Schedules the next attempt, or dead-letters the event when its attempts are spent. */
    public void attemptFailed(String eventId, String error, int maxAttempts, Duration firstDelay) {
        database.withConnection(c -> {
            int attempts;
            try (PreparedStatement ps = c.prepareStatement("SELECT attempts FROM callback_event WHERE event_id = ?")) {
                ps.setString(1, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    attempts = rs.getInt(1);
                }
            }
            String truncated = error.length() > 1000 ? error.substring(0, 1000) : error;
            if (attempts >= maxAttempts) {
                update(c, "UPDATE callback_event SET status = 'DEAD', last_error = ? WHERE event_id = ?", truncated, eventId);
            } else {
                Duration delay = firstDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
                update(c, "UPDATE callback_event SET next_attempt_at = ?, last_error = ? WHERE event_id = ?",
                        Ids.now().plus(delay), truncated, eventId);
            }
            return null;
        });
    }

    /** Events whose next attempt is due, oldest first. */
    public List<String> dueEventIds(int limit) {
        return database.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM callback_event WHERE status = 'PENDING' "
                    + "AND next_attempt_at <= ? ORDER BY next_attempt_at")) {
                ps.setObject(1, Ids.now());
                ps.setMaxRows(limit);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    private void update(String sql, Object... values) {
        database.withConnection(c -> {
            update(c, sql, values);
            return null;
        });
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
