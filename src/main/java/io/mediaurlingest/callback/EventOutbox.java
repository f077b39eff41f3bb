package io.mediaurlingest.callback;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.HostSlots;
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
    public static final String GONE = "GONE";

    private final Database database;
    private final String defaultUrl;
    private final EventShape shape;

    /**
     * @param defaultUrl ingest.callback.default-url: where events without their own CallbackURL go, or null
     * @param shape the shape events are written in (ingest.callback.format)
     */
    public EventOutbox(Database database, String defaultUrl, EventShape shape) {
        this.database = database;
        this.defaultUrl = defaultUrl;
        this.shape = shape;
    }

    /** The shape the events written here take (EventBody.toEvent). */
    public EventShape shape() {
        return shape;
    }

    /** One row of the outbox, as ListCallbackEvents shows it. */
    public record Row(String eventId, String eventType, String jobId, String mediaId, String appId, String callbackUrl,
            String status, int attempts, String lastError, OffsetDateTime createdAt, OffsetDateTime nextAttemptAt,
            OffsetDateTime deliveredAt) {
    }

    public void add(Connection c, CallbackEvent event) throws SQLException {
        OffsetDateTime now = Ids.now();
        String target = event.callbackUrl() != null ? event.callbackUrl() : defaultUrl;
        Database.update(c, "INSERT INTO callback_event (event_id, event_type, job_id, media_id, app_id, callback_url, "
                + "payload, status, next_attempt_at, created_at, event_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                event.eventId(), event.eventType(), event.jobId(), event.mediaId(), event.appId(), target, event.payload(),
                target == null ? NO_RECEIVER : PENDING, now, now, event.format().name());
    }

    /**
     * Takes a due event for one delivery attempt: pushes its next attempt past the attempt's
     * timeout so that no other sender picks it up meanwhile.
     */
    public Optional<CallbackEvent> claim(String eventId, Duration hold) {
        OffsetDateTime now = Ids.now();
        return database.withConnection(c -> {
            if (Database.update(c, "UPDATE callback_event SET next_attempt_at = ? WHERE event_id = ? AND status = 'PENDING' "
                    + "AND next_attempt_at <= ?", now.plus(hold), eventId, now) != 1) {
                return Optional.empty();
            }
            return read(c, eventId);
        });
    }

    /**
     * Cluster mode (PostgreSQL): claims a due event like claim, unless its receiver's host already
     * has perHost deliveries under way on any node; then the event is postponed a second. The
     * count and the claim are one step for all claims of that host (an advisory lock on it).
     */
    public Optional<CallbackEvent> claimWithinHostCap(String eventId, Duration hold, int perHost) {
        OffsetDateTime now = Ids.now();
        return database.inTransaction(c -> {
            Optional<String> url = Database.query(c, 1, "SELECT callback_url FROM callback_event WHERE event_id = ? "
                    + "AND status = 'PENDING' AND next_attempt_at <= ?", rs -> rs.getString(1), eventId, now).stream().findFirst();
            if (url.isEmpty()) {
                return Optional.empty();
            }
            String host = HostSlots.hostOf(url.get());
            Database.query(c, 1, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> null, "callback:" + host);
            long sending = Database.query(c, 1, "SELECT COUNT(*) FROM callback_event WHERE sending_host = ? "
                    + "AND status = 'PENDING' AND next_attempt_at > ? AND event_id <> ?", rs -> rs.getLong(1),
                    host, now, eventId).get(0);
            if (sending >= perHost) {
                Database.update(c, "UPDATE callback_event SET next_attempt_at = ? WHERE event_id = ? AND status = 'PENDING'",
                        now.plusSeconds(1), eventId);
                return Optional.empty();
            }
            if (Database.update(c, "UPDATE callback_event SET next_attempt_at = ?, sending_host = ? WHERE event_id = ? "
                    + "AND status = 'PENDING' AND next_attempt_at <= ?", now.plus(hold), host, eventId, now) != 1) {
                return Optional.empty();
            }
            return read(c, eventId);
        });
    }

    private static Optional<CallbackEvent> read(Connection c, String eventId) throws SQLException {
        return Database.query(c, 1, "SELECT event_id, event_type, job_id, media_id, app_id, callback_url, payload, "
                + "event_format FROM callback_event WHERE event_id = ?", rs -> new CallbackEvent(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getString(8) == null ? ApiFamily.ICE : ApiFamily.valueOf(rs.getString(8))), eventId)
                .stream().findFirst();
    }

    /** Body: an event id. The event's JSON, or null when there is no such event. */
    public String payload(String eventId) {
        return database.queryOne("SELECT payload FROM callback_event WHERE event_id = ?", rs -> rs.getString(1), eventId)
                .orElse(null);
    }

    public void delivered(String eventId) {
        database.update("UPDATE callback_event SET status = 'DELIVERED', delivered_at = ?, last_error = NULL, sending_host = NULL "
                + "WHERE event_id = ?", Ids.now(), eventId);
    }

    /** Puts a claimed event back without counting an attempt (its receiver's host was busy). */
    public void postpone(String eventId, Duration delay) {
        database.update("UPDATE callback_event SET next_attempt_at = ?, sending_host = NULL WHERE event_id = ? "
                + "AND status = 'PENDING'", Ids.now().plus(delay), eventId);
    }

    /**
     * Counts a failed attempt and schedules the next one after the schedule's delay for it, or
     * dead-letters the event (status DEAD, kept for RetryCallbackEvents) when the schedule is spent.
     */
    public void attemptFailed(String eventId, String error, List<Duration> schedule) {
        database.withConnection(c -> {
            int attempts = Database.query(c, 1, "SELECT attempts FROM callback_event WHERE event_id = ?",
                    rs -> rs.getInt(1), eventId).get(0) + 1;
            String truncated = error.length() > 1000 ? error.substring(0, 1000) : error;
            if (attempts > schedule.size()) {
                return Database.update(c, "UPDATE callback_event SET status = 'DEAD', attempts = ?, last_error = ?, sending_host = NULL "
                        + "WHERE event_id = ?", attempts, truncated, eventId);
            }
            return Database.update(c, "UPDATE callback_event SET attempts = ?, next_attempt_at = ?, last_error = ?, sending_host = NULL "
                    + "WHERE event_id = ?", attempts, Ids.now().plus(schedule.get(attempts - 1)), truncated, eventId);
        });
    }

    /** 410 Gone: the receiver does not want this event; no more attempts. */
    public void gone(String eventId, String error) {
        database.update("UPDATE callback_event SET status = 'GONE', attempts = attempts + 1, last_error = ?, sending_host = NULL "
                + "WHERE event_id = ?", error, eventId);
    }

    /** Puts dead (or gone) events back in line for delivery now, with a fresh schedule. */
    public List<String> retry(Collection<String> eventIds, String appScope) {
        List<String> retried = new ArrayList<>();
        String sql = "UPDATE callback_event SET status = 'PENDING', attempts = 0, next_attempt_at = ? WHERE event_id = ? "
                + "AND status IN ('DEAD', 'GONE', 'PENDING') AND callback_url IS NOT NULL";
        for (String id : eventIds) {
            int updated = appScope == null ? database.update(sql, Ids.now(), id)
                    : database.update(sql + " AND app_id = ?", Ids.now(), id, appScope);
            if (updated == 1) {
                retried.add(id);
            }
        }
        return retried;
    }

    /** A page of the outbox in creation order, optionally of one status, one job and one AppId, after a start. */
    public List<Row> list(String status, String jobId, String appScope, OffsetDateTime afterCreatedAt, String afterEventId,
            int limit) {
        StringBuilder sql = new StringBuilder("SELECT event_id, event_type, job_id, media_id, app_id, callback_url, status, "
                + "attempts, last_error, created_at, next_attempt_at, delivered_at FROM callback_event WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        if (status != null) {
            sql.append(" AND status = ?");
            values.add(status);
        }
        if (jobId != null) {
            sql.append(" AND job_id = ?");
            values.add(jobId);
        }
        if (appScope != null) {
            sql.append(" AND app_id = ?");
            values.add(appScope);
        }
        if (afterCreatedAt != null) {
            sql.append(" AND (created_at > ? OR (created_at = ? AND event_id > ?))");
            values.add(afterCreatedAt);
            values.add(afterCreatedAt);
            values.add(afterEventId);
        }
        sql.append(" ORDER BY created_at, event_id");
        return database.withConnection(c -> Database.query(c, limit, sql.toString(), rs -> new Row(rs.getString(1),
                rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getInt(8), rs.getString(9), rs.getObject(10, OffsetDateTime.class), rs.getObject(11, OffsetDateTime.class),
                rs.getObject(12, OffsetDateTime.class)), values.toArray()));
    }

    /** Events whose next attempt is due, oldest first. */
    public List<String> dueEventIds(int limit) {
        return database.withConnection(c -> Database.query(c, limit, "SELECT event_id FROM callback_event "
                + "WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at", rs -> rs.getString(1), Ids.now()));
    }
}
