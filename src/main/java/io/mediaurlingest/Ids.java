package io.mediaurlingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;

/** Ids and times as ICE shows them: 32 hex characters; ISO-8601 UTC to the second. */
public final class Ids {

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    /**
     * UUID version 7: the time in milliseconds first, then 74 bits from SecureRandom. New rows of a
     * table land at the end of its id indexes instead of on a random page each: a 20-URL submit
     * rewrites a few index pages rather than forty (H2 writes every page a commit touched), and
     * an id is still not guessable from another.
     */
    private static final TimeBasedEpochRandomGenerator IDS = Generators.timeBasedEpochRandomGenerator();

    private Ids() {
    }

    public static String newId() {
        return IDS.generate().toString().replace("-", "");
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
