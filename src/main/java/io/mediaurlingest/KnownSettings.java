package io.mediaurlingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;

/**
 * Refuses to start on an ingest.* key that application.properties does not know (a misspelled
 * key would otherwise be ignored silently, and its default used instead of what the operator
 * meant), or on a value not of its key's kind: the kind of a duration, a size, a whole number or
 * a yes/no is read off the key's shipped default. The message names the key and the rule.
 */
final class KnownSettings {

    /** Keys made of a configured name: a storage location's own settings. */
    private static final Pattern NAMED_LOCATION = Pattern.compile(
            "ingest\\.store\\.location\\.[^.]+\\.(bucket|endpoint|region|access-key-id|secret-access-key)");

    private KnownSettings() {
    }

    /** Checks the ingest.* keys the context's properties and the JVM's system properties set. */
    static void check(CamelContext context) throws IOException {
        Properties shipped = shipped();
        Set<String> known = shipped.stringPropertyNames();
        Set<String> given = new TreeSet<>();
        context.getPropertiesComponent().loadProperties(k -> k.startsWith("ingest.")).stringPropertyNames().forEach(given::add);
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("ingest.")).forEach(given::add);
        List<String> unknown = new ArrayList<>();
        for (String key : given) {
            if (!known.contains(key) && !NAMED_LOCATION.matcher(key).matches()) {
                unknown.add(key + " (did you mean " + nearest(key, known) + "?)");
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("Unknown setting" + (unknown.size() > 1 ? "s: " : ": ")
                    + String.join(", ", unknown) + ". Every key is listed, with its default, in application.properties.");
        }
        List<String> malformed = new ArrayList<>();
        for (String key : new TreeSet<>(shipped.stringPropertyNames())) {
            Kind kind = Kind.of(shipped.getProperty(key).trim());
            String value = context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
            if (key.startsWith("ingest.") && kind != null && !value.isEmpty() && !kind.accepts(value)) {
                malformed.add(key + " = " + value + " is not " + kind.rule);
            }
        }
        CHOICES.forEach((key, allowed) -> {
            String value = context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
            if (!allowed.contains(value)) {
                malformed.add(key + " = " + value + " is not one of " + String.join(", ", allowed));
            }
        });
        if (!malformed.isEmpty()) {
            throw new IllegalStateException("Malformed setting" + (malformed.size() > 1 ? "s: " : ": ")
                    + String.join("; ", malformed) + ".");
        }
        List<String> contradictions = contradictions(key -> context.getPropertiesComponent().resolveProperty(key)
                .map(String::trim).orElse(""));
        if (!contradictions.isEmpty()) {
            throw new IllegalStateException("Contradictory settings: " + String.join("; ", contradictions) + ".");
        }
    }

    /** Combinations of valid values that cannot work together. */
    private static List<String> contradictions(java.util.function.UnaryOperator<String> setting) {
        List<String> found = new ArrayList<>();
        if (!Settings.parseDuration(setting.apply("ingest.job.lease-renewal"))
                .minus(Settings.parseDuration(setting.apply("ingest.job.lease"))).isNegative()) {
            found.add("ingest.job.lease-renewal (" + setting.apply("ingest.job.lease-renewal")
                    + ") must be shorter than ingest.job.lease (" + setting.apply("ingest.job.lease")
                    + "), or every running job's lease runs out before it is renewed");
        }
        if (Settings.parseDuration(setting.apply("ingest.fetch.retry-delay"))
                .compareTo(Settings.parseDuration(setting.apply("ingest.fetch.max-retry-delay"))) > 0) {
            found.add("ingest.fetch.retry-delay (" + setting.apply("ingest.fetch.retry-delay")
                    + ") must not exceed ingest.fetch.max-retry-delay (" + setting.apply("ingest.fetch.max-retry-delay") + ")");
        }
        String mirror = setting.apply("ingest.workflow.mirror.location");
        if (!mirror.isEmpty() && !Settings.list(setting.apply("ingest.store.locations")).contains(mirror)) {
            found.add("ingest.workflow.mirror.location (" + mirror + ") must be one of ingest.store.locations ("
                    + setting.apply("ingest.store.locations") + ")");
        }
        String secret = setting.apply("ingest.callback.webhook-secret");
        if (!secret.isEmpty() && !secret.startsWith("whsec_")) {
            found.add("ingest.callback.webhook-secret must be a Standard Webhooks secret: whsec_ and base64");
        }
        return found;
    }

    /** Keys whose value is one of a few words. */
    private static final Map<String, List<String>> CHOICES = Map.of("ingest.log.format", List.of("text", "json"),
            "ingest.callback.format", List.of("auto", "ice", "vod"));

    /** Every setting with its default and meaning, as application.properties gives them: for --help. */
    static String help() throws IOException {
        StringBuilder out = new StringBuilder("media-url-ingest settings: java -Dkey=value -jar media-url-ingest.jar, "
                + "or an environment variable (INGEST_DATA_DIR for ingest.data-dir).\n");
        List<String> comment = new ArrayList<>();
        for (String line : shippedText().split("\n")) {
            if (line.startsWith("# ----")) {
                out.append("\n").append(line.replaceAll("^# -+ *", "").toUpperCase(java.util.Locale.ROOT)).append("\n");
                comment.clear();
            } else if (line.startsWith("#")) {
                comment.add(line.substring(1).trim());
            } else if (line.contains("=") && !line.startsWith(" ") && !comment.isEmpty()) {
                out.append("  ").append(line.substring(0, line.indexOf('=')).trim()).append("\n");
                comment.forEach(c -> out.append("      ").append(c).append("\n"));
                comment.clear();
            }
        }
        return out.toString();
    }

    /** The kinds of value a key's default shows. */
    private enum Kind {
        DURATION("a duration such as 500ms, 10s, 5m, 1h or 1d"),
        SIZE("a size such as 1024, 64KB, 16MB or 5GB"),
        NUMBER("a whole number"),
        YES_NO("true or false");

        final String rule;

        Kind(String rule) {
            this.rule = rule;
        }

        static Kind of(String shippedDefault) {
            if (shippedDefault.matches("\\d+(ms|s|m|h|d)")) {
                return DURATION;
            }
            if (shippedDefault.matches("\\d+(B|KB|MB|GB|TB)")) {
                return SIZE;
            }
            if (shippedDefault.matches("\\d+")) {
                return NUMBER;
            }
            return shippedDefault.equals("true") || shippedDefault.equals("false") ? YES_NO : null;
        }

        boolean accepts(String value) {
            try {
                switch (this) {
                    case DURATION -> Settings.parseDuration(value);
                    case SIZE -> Settings.parseSize(value);
                    case NUMBER -> Integer.parseInt(value);
                    case YES_NO -> {
                        if (!value.equals("true") && !value.equals("false")) {
                            return false;
                        }
                    }
                }
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** The application.properties this bundle ships, with its defaults. */
    private static Properties shipped() throws IOException {
        Properties shipped = new Properties();
        shipped.load(new java.io.StringReader(shippedText()));
        return shipped;
    }

    private static String shippedText() throws IOException {
        try (InputStream in = KnownSettings.class.getResourceAsStream("/application.properties")) {
            if (in == null) {
                throw new IOException("application.properties is not on the class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private static String nearest(String key, Set<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> distance(key, k))).orElse("?");
    }

    /** Levenshtein distance: how many edits turn one key into the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
