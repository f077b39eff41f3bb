package io.mediaurlingest.store;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.support.service.ServiceSupport;

/** The storage locations media can be written to, by name; the first one is the default. */
public final class StorageLocations extends ServiceSupport {

    private final Map<String, StorageLocation> byName = new LinkedHashMap<>();

    /** An object of a configured location, named by a client's InputURL. */
    public record ObjectRef(StorageLocation location, String key) {
    }

    public void add(StorageLocation location) {
        if (byName.putIfAbsent(location.name(), location) != null) {
            throw new IllegalArgumentException("two storage locations are named " + location.name());
        }
    }

    public StorageLocation defaultLocation() {
        return byName.values().iterator().next();
    }

    public Optional<StorageLocation> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public StorageLocation get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("no storage location named " + name));
    }

    public Collection<StorageLocation> all() {
        return byName.values();
    }

    /**
     * Finds the object an InputURL names: s3://bucket/key, oss://bucket/key, or a location's
     * own object URL (endpoint/bucket/key). Empty when no configured location holds that bucket.
     */
    public Optional<ObjectRef> resolve(String inputUrl) {
        URI uri;
        try {
            uri = URI.create(inputUrl);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("s3") || scheme.equals("oss")) {
            String key = stripSlash(uri.getPath());
            return byBucket(uri.getHost()).filter(l -> !key.isEmpty()).map(l -> new ObjectRef(l, key));
        }
        if (scheme.equals("http") || scheme.equals("https")) {
            for (StorageLocation location : byName.values()) {
                String prefix = location.objectUrl("");
                if (inputUrl.startsWith(prefix) && inputUrl.length() > prefix.length()) {
                    return Optional.of(new ObjectRef(location, inputUrl.substring(prefix.length())));
                }
            }
        }
        return Optional.empty();
    }

    /** Sweep abort-stale-uploads: multipart uploads older than the age, in every location. */
    public int abortStaleUploads(String age) {
        java.time.Instant cutoff = java.time.Instant.now().minus(io.mediaurlingest.Settings.parseDuration(age));
        int aborted = 0;
        for (StorageLocation location : byName.values()) {
            aborted += location.abortUploadsBefore(cutoff);
        }
        return aborted;
    }

    private Optional<StorageLocation> byBucket(String bucket) {
        return byName.values().stream().filter(l -> l.bucket().equals(bucket)).findFirst();
    }

    private static String stripSlash(String path) {
        return path == null ? "" : path.replaceFirst("^/+", "");
    }

    @Override
    protected void doStop() {
        byName.values().forEach(StorageLocation::close);
    }
}
