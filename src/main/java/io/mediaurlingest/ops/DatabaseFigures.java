package io.mediaurlingest.ops;

import java.util.HashMap;
import java.util.Map;

import io.mediaurlingest.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Gauges whose truth is in the database, for the whole service (every node): jobs waiting and
 * running, callback events waiting for delivery and dead-lettered. Both counts come from one
 * query each, run at most once per {@link #MAX_AGE_NANOS} however many gauges a scrape reads;
 * while the database is down they read NaN.
 */
final class DatabaseFigures {

    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final Database database;
    private Map<String, Long> counts; // null: the database did not answer
    private long readAt;

    DatabaseFigures(Database database) {
        this.database = database;
    }

    void register(MeterRegistry registry) {
        for (String status : new String[] {"PENDING", "PROCESSING"}) {
            Gauge.builder("ingest.jobs", () -> count("job." + status))
                    .description("Jobs waiting (PENDING) and running (PROCESSING) on every node").tag("status", status)
                    .register(registry);
        }
        for (String status : new String[] {"PENDING", "DEAD"}) {
            Gauge.builder("ingest.callback.events", () -> count("event." + status))
                    .description("Callback events waiting for delivery (PENDING) and dead-lettered (DEAD)")
                    .tag("status", status).register(registry);
        }
    }

    private synchronized Number count(String key) {
        if (readAt == 0 || System.nanoTime() - readAt > MAX_AGE_NANOS) {
            try {
                Map<String, Long> now = new HashMap<>();
                database.query("SELECT status, COUNT(*) FROM upload_job WHERE status IN ('PENDING', 'PROCESSING') "
                        + "GROUP BY status", rs -> now.put("job." + rs.getString(1), rs.getLong(2)));
                database.query("SELECT status, COUNT(*) FROM callback_event WHERE status IN ('PENDING', 'DEAD') "
                        + "GROUP BY status", rs -> now.put("event." + rs.getString(1), rs.getLong(2)));
                counts = now;
            } catch (RuntimeException databaseDown) {
                counts = null;
            }
            readAt = System.nanoTime();
        }
        return counts == null ? Double.NaN : counts.getOrDefault(key, 0L);
    }
}
