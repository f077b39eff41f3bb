package io.mediaurlingest;

import java.time.Duration;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the keys of application.properties through Camel's properties component,
 * so that -Dkey=value, environment variables and an embedding CamelContext's own
 * properties all win over the file in the same way.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    public Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        return optional(key).map(Boolean::parseBoolean).orElse(fallback);
    }

    public int integer(String key, int fallback) {
        return optional(key).map(Integer::parseInt).orElse(fallback);
    }

    public long size(String key, long fallback) {
        return optional(key).map(Settings::parseSize).orElse(fallback);
    }

    public Duration duration(String key, Duration fallback) {
        return optional(key).map(Settings::parseDuration).orElse(fallback);
    }

    /** Sizes as 1024, 8MB, 5GB (binary multiples). */
    static long parseSize(String text) {
        String t = text.toUpperCase().replace("IB", "B").replace(" ", "");
        long unit = 1;
        if (t.endsWith("KB")) { unit = 1L << 10; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("MB")) { unit = 1L << 20; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("GB")) { unit = 1L << 30; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("TB")) { unit = 1L << 40; t = t.substring(0, t.length() - 2); }
        else if (t.endsWith("B")) { t = t.substring(0, t.length() - 1); }
        return Long.parseLong(t) * unit;
    }

    /** Durations as 500ms, 10s, 5m, 1h, or an ISO-8601 PT10S. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        if (t.startsWith("pt") || t.startsWith("p")) {
            return Duration.parse(text.trim().toUpperCase());
        }
        if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        if (t.endsWith("d")) return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
        return Duration.ofMillis(Long.parseLong(t));
    }
}
