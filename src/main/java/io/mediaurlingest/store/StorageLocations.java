package io.mediaurlingest.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The storage locations media can be written to, by name; the first one is the default. A
 * location without an endpoint is a bucket of the embedded store (S3Proxy), which starts with
 * this service; buckets are created at start when missing.
 */
public final class StorageLocations extends ServiceSupport implements CamelContextAware {

    /** Registry name of a location's S3 client, for aws2-s3 endpoints: amazonS3Client=#s3-{location}. */
    private static String clientBeanName(String location) {
        return "s3-" + location;
    }

    /** How to reach one location; endpoint null: the embedded store. */
    public record Spec(String name, URI endpoint, String region, String accessKeyId, String secretAccessKey,
            String bucket) {
    }

    private final List<Spec> specs;
    private final EmbeddedS3Store embedded;
    private final java.time.Duration staleUploadAge;
    private final Map<String, StorageLocation> byName = new LinkedHashMap<>();
    private CamelContext camelContext;

    /** An object of a configured location, named by a client's InputURL. */
    public record ObjectRef(StorageLocation location, String key) {
    }

    /**
     * @param embedded       the embedded store, for the specs without an endpoint; null when none is needed
     * @param staleUploadAge ingest.store.stale-upload-age
     */
    public StorageLocations(List<Spec> specs, EmbeddedS3Store embedded, java.time.Duration staleUploadAge) {
        this.specs = List.copyOf(specs);
        this.embedded = embedded;
        this.staleUploadAge = staleUploadAge;
        for (Spec spec : specs) {
            if (spec.endpoint() == null && embedded == null) {
                throw new IllegalArgumentException("storage location " + spec.name() + " has no endpoint");
            }
        }
    }

    @Override
    protected void doStart() throws Exception {
        if (embedded != null) {
            embedded.start();
        }
        for (Spec spec : specs) {
            boolean inEmbedded = spec.endpoint() == null; // S3Proxy's file store: the ETag of a PUT is its MD5
            StorageLocation location = new StorageLocation(spec.name(), inEmbedded ? embedded.endpoint() : spec.endpoint(),
                    spec.region(), spec.accessKeyId(), spec.secretAccessKey(), spec.bucket(), inEmbedded);
            if (byName.putIfAbsent(spec.name(), location) != null) {
                throw new IllegalArgumentException("two storage locations are named " + spec.name());
            }
            location.ensureBucket();
            if (camelContext != null) {
                // workflows (the built-ins and operators' own) move whole objects with aws2-s3 endpoints
                camelContext.getRegistry().bind(clientBeanName(spec.name()), location.s3());
            }
        }
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    /** The default location's name (known before the service starts). */
    public String defaultName() {
        return specs.get(0).name();
    }

    /** Whether a location of this name is configured. */
    public boolean isNamed(String name) {
        return specs.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The names of every location, the default first. */
    public java.util.List<String> names() {
        return specs.stream().map(Spec::name).toList();
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

    /**
     * Finds the object a URL names: s3://bucket/key, oss://bucket/key, or a location's own object
     * URL (endpoint/bucket/key, percent-encoded; a query such as a presigned URL's is ignored).
     * Empty when the URL points into no configured location.
     * @throws ObjectKeys.InvalidKeyException when it does, but its key is not in canonical form
     */
    public Optional<ObjectRef> resolve(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((scheme.equals("s3") || scheme.equals("oss")) && uri.getRawPath() != null) {
            Optional<StorageLocation> location = byBucket(uri.getHost());
            if (location.isEmpty()) {
                return Optional.empty();
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ObjectKeys.InvalidKeyException("an " + scheme + ":// URL names a key, without '?' or '#'");
            }
            ObjectKeys.checkRaw(uri.getRawPath());
            return Optional.of(new ObjectRef(location.get(), ObjectKeys.canonical(stripOneSlash(uri.getPath()))));
        }
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getRawPath() != null) {
            for (StorageLocation location : byName.values()) {
                String bucketPath = basePath(location.endpoint()) + "/" + location.bucket() + "/";
                if (sameServer(uri, location.endpoint()) && uri.getRawPath().startsWith(bucketPath)) {
                    ObjectKeys.checkRaw(uri.getRawPath());
                    // the endpoint's path and the bucket are plain ASCII: decoded, the prefix is the same
                    return Optional.of(new ObjectRef(location,
                            ObjectKeys.canonical(uri.getPath().substring(bucketPath.length()))));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether an http(s) URL points at the server of any configured location (whatever its bucket or path). */
    public boolean isStoreUrl(String url) {
        try {
            URI uri = new URI(url);
            return byName.values().stream().anyMatch(l -> sameServer(uri, l.endpoint()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean sameServer(URI uri, URI endpoint) {
        return uri.getScheme() != null && uri.getHost() != null
                && uri.getScheme().equalsIgnoreCase(endpoint.getScheme())
                && uri.getHost().equalsIgnoreCase(endpoint.getHost())
                && port(uri) == port(endpoint);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String basePath(URI endpoint) {
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        return path.replaceAll("/+$", "");
    }

    private static String stripOneSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    /** Sweep abort-stale-uploads: what crashed uploads left, older than ingest.store.stale-upload-age. */
    public int abortStaleUploads() {
        return abortUploadsOlderThan(staleUploadAge);
    }

    /** Sweep retry-failed-aborts: multipart uploads whose abort failed while their store was away. */
    public int retryFailedAborts() {
        int aborted = 0;
        for (StorageLocation location : byName.values()) {
            aborted += location.retryFailedAborts();
        }
        return aborted;
    }

    /** Multipart uploads (and partial files of the embedded store) older than the age, in every location. */
    public int abortUploadsOlderThan(java.time.Duration age) {
        java.time.Instant cutoff = java.time.Instant.now().minus(age);
        int aborted = 0;
        for (StorageLocation location : byName.values()) {
            aborted += location.abortUploadsBefore(cutoff);
        }
        return aborted;
    }

    private Optional<StorageLocation> byBucket(String bucket) {
        return byName.values().stream().filter(l -> l.bucket().equals(bucket)).findFirst();
    }

    @Override
    protected void doStop() throws Exception {
        byName.values().forEach(StorageLocation::close);
        byName.clear();
        if (embedded != null) {
            embedded.stop();
        }
    }
}
