package io.mediaurlingest;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Ids and times as ICE shows them: 32 hex characters; ISO-8601 UTC to the second. */
public final class Ids {

    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private Ids() {
    }

    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "");
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
