package io.mediaurlingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/** Ids and times as ICE shows them: 32 hex characters; ISO-8601 UTC to the second. */
public final class Ids {

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    /** UUID version 7: the time in milliseconds first, then 74 bits from SecureRandom. */
    private static final TimeBasedEpochRandomGenerator TIME_ORDERED = Generators.timeBasedEpochRandomGenerator();
    /**
     * Which ids the database wants (set by Database when it opens): time-ordered on H2, whose
     * commit rewrites every page it touched (a 20-URL submit then dirties a few index pages at
     * the end of each id index instead of forty: 271 → 415–565 batches/s in bench/run.sh 1 api);
     * random (version 4) on PostgreSQL, where 32 clients appending to the same last B-tree page
     * wait on each other (submits at 300/s, p99 55 ms random against 76–107 ms time-ordered in
     * bench/run.sh 1 scale). Either way 32 hex characters, not guessable from one another.
     */
    private static volatile boolean timeOrdered = true;

    private Ids() {
    }

    public static void useTimeOrdered(boolean ordered) {
        timeOrdered = ordered;
    }

    public static String newId() {
        UUID id = timeOrdered ? TIME_ORDERED.generate() : UUID.randomUUID();
        return id.toString().replace("-", "");
    }

    public static OffsetDateTime now() {
        return now(java.time.Clock.systemUTC());
    }

    /** The clock's time in UTC, to the millisecond (as the database keeps it). */
    public static OffsetDateTime now(java.time.Clock clock) {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    public static String iso(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).format(ISO_SECONDS);
    }
}
