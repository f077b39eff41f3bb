package io.mediaurlingest;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the values of application.properties are written: sizes (8MB), durations (10s, 5m),
 * comma-separated lists, and empty meaning "not set". The keys themselves, with their
 * defaults, live in application.properties only; each capability's configuration reads its own.
 */
public final class Settings {

    private Settings() {
    }

    /** Sizes as 1024, 8MB, 5GB (binary multiples). */
    public static long parseSize(String text) {
        String t = text.toUpperCase(Locale.ROOT).replace("IB", "B").replace(" ", "");
        long unit = 1;
        if (t.endsWith("KB")) { unit = 1L << 10; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("MB")) { unit = 1L << 20; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("GB")) { unit = 1L << 30; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("TB")) { unit = 1L << 40; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("B")) { t = t.substring(0, t.length() - 1); }
        return Long.parseLong(t) * unit;
    }

    /** Durations as 500ms, 10s, 5m, 1h, 1d, or an ISO-8601 PT10S; a bare number is milliseconds. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        }
        if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("d")) return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
        return Duration.ofMillis(Long.parseLong(t));
    }

    /** The non-empty, trimmed items of a comma-separated value. */
    public static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    /** A value that may be left empty: null when it is. */
    public static String orNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
