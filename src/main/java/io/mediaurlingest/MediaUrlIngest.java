package io.mediaurlingest;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.mediaurlingest.api.AccessKeys;
import io.mediaurlingest.api.CallbackEventActions;
import io.mediaurlingest.api.LenientNettyHttpBinding;
import io.mediaurlingest.api.MediaActions;
import io.mediaurlingest.api.NonceStore;
import io.mediaurlingest.api.RequestTimeout;
import io.mediaurlingest.api.RpcAuthenticator;
import io.mediaurlingest.api.UploadJobActions;
import io.mediaurlingest.api.RpcFrontDoor;
import io.mediaurlingest.api.UploadMediaByUrl;
import io.mediaurlingest.callback.CallbackDelivery;
import io.mediaurlingest.callback.CallbackSigner;
import io.mediaurlingest.callback.EventForwarder;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.fetch.AddressGuard;
import io.mediaurlingest.fetch.GuardedDnsResolver;
import io.mediaurlingest.fetch.HostSlots;
import io.mediaurlingest.fetch.RunningDownloads;
import io.mediaurlingest.fetch.SourceDownloader;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.job.JobProgress;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.JobSweeps;
import io.mediaurlingest.job.RetryPolicy;
import io.mediaurlingest.media.MediaInspector;
import io.mediaurlingest.media.MediaProber;
import io.mediaurlingest.media.MediaTool;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.EmbeddedS3Store;
import io.mediaurlingest.store.ObjectStore;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.workflow.MirrorCopier;
import io.mediaurlingest.workflow.SnapshotMaker;
import io.mediaurlingest.workflow.WorkflowMedia;
import io.mediaurlingest.workflow.WorkflowRegistry;
import io.mediaurlingest.workflow.WorkflowRunner;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything media-url-ingest adds to a CamelContext: its beans, its error policy, and its
 * YAML flows. camel-main uses it through {@link Application}; an ESB adds it to its own
 * context with {@code context.addRoutes(new MediaUrlIngest())} after setting the ingest.*
 * properties (and ingest.api.endpoint to an endpoint of its HTTP stack or direct:ice-api).
 */
public final class MediaUrlIngest implements RoutesBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(MediaUrlIngest.class);

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        Path dataDir = Path.of(settings.string("ingest.data-dir", "data"));
        String nodeId = settings.optional("ingest.node-id").orElseGet(MediaUrlIngest::defaultNodeId);

        Database database = new Database(settings, dataDir);
        context.addService(database, true, true);

        StorageLocations locations = new StorageLocations();
        StorageLocation defaultLocation = defaultStorageLocation(context, settings, dataDir);
        locations.add(defaultLocation);
        for (String name : settings.string("ingest.store.locations", "").split(",")) {
            if (!name.isBlank()) {
                locations.add(namedStorageLocation(settings, name.trim(), defaultLocation));
            }
        }
        locations.all().forEach(StorageLocation::ensureBucket);
        context.addService(locations, true, true);

        JobRepository jobs = new JobRepository(database);
        MediaRepository media = new MediaRepository(database);
        EventOutbox outbox = new EventOutbox(database, settings.optional("ingest.callback.default-url").orElse(null));
        Duration lease = settings.duration("ingest.job.lease", Duration.ofSeconds(30));
        Duration deadline = settings.duration("ingest.fetch.deadline", Duration.ofHours(6));
        int maxAttempts = settings.integer("ingest.fetch.max-attempts", 5);
        JobProgress progress = new JobProgress(jobs, nodeId, lease, Duration.ofSeconds(1));

        RunningDownloads downloads = new RunningDownloads(deadline, settings.size("ingest.fetch.min-rate", 1024),
                settings.duration("ingest.fetch.min-rate-window", Duration.ofSeconds(60)));
        registry.bind("runningDownloads", downloads);
        MediaInspector inspector = new MediaInspector();
        ObjectStore objectStore = new ObjectStore(locations,
                context.getExecutorServiceManager().newFixedThreadPool(this, "store-parts",
                        settings.integer("ingest.store.upload-threads", 8)),
                context.getExecutorServiceManager().newCachedThreadPool(this, "store-puts"),
                settings.size("ingest.store.part-size", 16L << 20), settings.integer("ingest.store.parallel-parts", 4),
                settings.size("ingest.store.single-put-max", 5L << 30));
        WorkflowRegistry workflows = new WorkflowRegistry();
        AddressGuard sourceGuard = new AddressGuard(settings.bool("ingest.fetch.allow-private-networks", false),
                AddressGuard.networks(settings.string("ingest.fetch.allowed-networks", "")));
        SourceDownloader downloader = new SourceDownloader(sourceGuard, dataDir.resolve("tmp"),
                settings.duration("ingest.fetch.connect-timeout", Duration.ofSeconds(10)),
                settings.duration("ingest.fetch.read-timeout", Duration.ofSeconds(30)),
                settings.integer("ingest.fetch.max-redirects", 5),
                settings.size("ingest.fetch.max-file-size", 5L << 30),
                settings.string("ingest.fetch.user-agent", "media-url-ingest/0.1"), progress, downloads, inspector, objectStore);
        context.addService(downloader, true, true);

        Duration callbackTimeout = settings.duration("ingest.callback.timeout", Duration.ofSeconds(5));
        AddressGuard callbackGuard = new AddressGuard(settings.bool("ingest.callback.allow-private-networks", false),
                AddressGuard.networks(settings.string("ingest.callback.allowed-networks", "")));
        GuardedDnsResolver callbackResolver = new GuardedDnsResolver(callbackGuard);
        registry.bind("callbackConnections", PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(callbackResolver)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(callbackTimeout))
                        .setSocketTimeout(Timeout.of(callbackTimeout))
                        .build())
                .build());

        registry.bind("database", database);
        registry.bind("ingestJobQueue", new io.mediaurlingest.job.JobIdQueue(context,
                settings.integer("ingest.queue.capacity", 1_000_000)));
        registry.bind("storageLocations", locations);
        registry.bind("jobRepository", jobs);
        registry.bind("mediaRepository", media);
        AccessKeys accessKeys = AccessKeys.of(settings.optional("ingest.auth.access-key-id").orElse(null),
                settings.optional("ingest.auth.access-key-secret").orElse(null),
                settings.optional("ingest.auth.keys-file").map(Path::of).orElse(null));
        NonceStore nonces = new NonceStore(database);
        registry.bind("nonceStore", nonces);
        registry.bind("iceHttpBinding", new LenientNettyHttpBinding());
        registry.bind("apiRequestTimeout", new RequestTimeout(settings.duration("ingest.api.request-timeout", Duration.ofSeconds(30))));
        registry.bind("rpcFrontDoor", new RpcFrontDoor(new RpcAuthenticator(accessKeys, nonces)));
        registry.bind("workflowRegistry", workflows);
        registry.bind("uploadMediaByUrl", new UploadMediaByUrl(database, jobs, locations, workflows, callbackResolver));
        registry.bind("uploadJobActions", new UploadJobActions(database, jobs, outbox, downloads));
        registry.bind("mediaActions", new MediaActions(media, locations, workflows,
                settings.duration("ingest.store.presign-expiry", Duration.ofHours(1))));
        JobLifecycle lifecycle = new JobLifecycle(database, jobs, media, outbox, locations, progress, downloader,
                new HostSlots(settings.integer("ingest.fetch.per-host-concurrency", 4)), nodeId, lease, deadline,
                context.createProducerTemplate());
        context.addService(lifecycle, true, true);
        registry.bind("jobLifecycle", lifecycle);
        registry.bind("jobSweeps", new JobSweeps(jobs, settings.duration("ingest.job.stale-pending", Duration.ofMinutes(10))));
        Duration retryDelay = settings.duration("ingest.fetch.retry-delay", Duration.ofSeconds(10));
        Duration maxRetryDelay = settings.duration("ingest.fetch.max-retry-delay", Duration.ofMinutes(10));
        registry.bind("retryPolicy", new RetryPolicy(jobs, maxAttempts, maxRetryDelay.toMillis()));
        registry.bind("sourceDownloader", downloader);
        registry.bind("mediaInspector", inspector);
        Duration mediaToolTimeout = settings.duration("ingest.media.timeout", Duration.ofMinutes(2));
        registry.bind("mediaProber", new MediaProber(settings.string("ingest.media.ffprobe", "auto"), mediaToolTimeout));
        registry.bind("objectStore", objectStore);
        registry.bind("callbackDelivery", new CallbackDelivery(outbox,
                new CallbackSigner(settings.optional("ingest.callback.auth-key").orElse(null),
                        settings.optional("ingest.callback.webhook-secret").orElse(null)),
                new HostSlots(settings.integer("ingest.callback.per-host-concurrency", 2)), callbackTimeout,
                Arrays.stream(settings.string("ingest.callback.retry-schedule", "5s,30s,2m,10m,30m,1h,2h,6h,12h,24h")
                        .split(",")).map(String::trim).filter(d -> !d.isEmpty()).map(Settings::parseDuration).toList()));
        registry.bind("callbackEventActions", new CallbackEventActions(outbox));
        registry.bind("workflowRunner", new WorkflowRunner(database, media, outbox, context.createProducerTemplate()));
        registry.bind("snapshotMaker", new SnapshotMaker(media, locations, dataDir.resolve("tmp"),
                Optional.ofNullable(MediaProber.findOnPath("ffmpeg")).map(p -> new MediaTool(p, mediaToolTimeout)).orElse(null)));
        registry.bind("mirrorCopier", new MirrorCopier(media, locations, settings.optional("ingest.workflow.mirror.location").orElse(null)));
        registry.bind("workflowMedia", new WorkflowMedia(media));
        registry.bind("eventForwarder", new EventForwarder(outbox, context.createProducerTemplate(),
                settings.optional("ingest.callback.endpoint").orElse(null)));

        context.addRoutesConfigurations(new IngestErrorHandling(maxAttempts, retryDelay.toMillis(), maxRetryDelay.toMillis()));
        loadFlows(context, settings.string("ingest.routes", "classpath:routes/*.camel.yaml"), true);
        for (String id : loadFlows(context, settings.string("ingest.workflows", "classpath:routes/workflows/*.camel.yaml"), false)) {
            workflows.register(id);
        }
        LOG.info("Workflows: {}", workflows.ids());
        checkAccess(settings, accessKeys);
    }

    /**
     * Loads the YAML flows at the comma-separated patterns, one per file name (a class path that
     * lists a folder twice must not load it twice).
     * @return the file names without ".camel.yaml": for workflows, their ids
     */
    private static java.util.Set<String> loadFlows(CamelContext context, String patterns, boolean required) throws Exception {
        Map<String, Resource> byName = new TreeMap<>();
        for (String pattern : patterns.split(",")) {
            if (pattern.isBlank()) {
                continue;
            }
            for (Resource flow : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern.trim())) {
                String location = flow.getLocation();
                if (required && location.contains("/workflows/")) {
                    continue; // the scan of routes/ also sees routes/workflows/: those load as workflows
                }
                byName.putIfAbsent(location.substring(location.lastIndexOf('/') + 1), flow);
            }
        }
        if (byName.isEmpty() && required) {
            throw new IllegalStateException("no flows found at " + patterns);
        }
        for (RoutesBuilder flow : PluginHelper.getRoutesLoader(context).findRoutesBuilders(byName.values())) {
            flow.addRoutesToCamelContext(context);
        }
        return byName.keySet().stream().map(n -> n.replace(".camel.yaml", "")).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    private static StorageLocation defaultStorageLocation(CamelContext context, Settings settings, Path dataDir)
            throws Exception {
        String accessKey = settings.string("ingest.store.access-key-id", "local-identity");
        String secretKey = settings.string("ingest.store.secret-access-key", "local-credential");
        URI endpoint = settings.optional("ingest.store.endpoint").map(URI::create).orElse(null);
        boolean embedded = endpoint == null; // S3Proxy's file store: the ETag of a PUT is the MD5 it computed
        if (embedded) {
            EmbeddedS3Store store = new EmbeddedS3Store(dataDir.resolve("store"),
                    settings.string("ingest.store.embedded.host", "127.0.0.1"),
                    settings.integer("ingest.store.embedded.port", 9000), accessKey, secretKey);
            store.start(); // the location needs its port now; the context stops it
            context.addService(store, true, true);
            endpoint = store.endpoint();
        }
        return new StorageLocation(settings.string("ingest.store.name", "local-vod"), endpoint,
                settings.string("ingest.store.region", "us-east-1"), accessKey, secretKey,
                settings.string("ingest.store.bucket", "vod"), embedded);
    }

    /**
     * A further location from ingest.store.location.NAME.* keys; with no endpoint it is a
     * bucket of the default location's endpoint (e.g. a second bucket of the embedded store).
     */
    private static StorageLocation namedStorageLocation(Settings settings, String name, StorageLocation fallback) {
        String prefix = "ingest.store.location." + name + ".";
        URI endpoint = settings.optional(prefix + "endpoint").map(URI::create).orElse(fallback.endpoint());
        String bucket = settings.optional(prefix + "bucket").orElseThrow(
                () -> new IllegalStateException("storage location " + name + " needs " + prefix + "bucket"));
        return new StorageLocation(name, endpoint,
                settings.string(prefix + "region", settings.string("ingest.store.region", "us-east-1")),
                settings.string(prefix + "access-key-id", settings.string("ingest.store.access-key-id", "local-identity")),
                settings.string(prefix + "secret-access-key",
                        settings.string("ingest.store.secret-access-key", "local-credential")),
                bucket, fallback.isEmbedded() && endpoint.equals(fallback.endpoint()));
    }

    /** Unsigned access is only for loopback: an open API on a network address is refused at start. */
    private static void checkAccess(Settings settings, AccessKeys keys) throws Exception {
        if (!keys.isEmpty()) {
            LOG.info("AccessKeys configured: every API call must be signed");
            return;
        }
        String host = settings.string("camel.server.host", "127.0.0.1");
        boolean servesHttp = !settings.string("ingest.api.endpoint", "").startsWith("direct:");
        if (servesHttp && !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalStateException("camel.server.host is " + host + " but no AccessKey is configured: "
                    + "set ingest.auth.access-key-id and ingest.auth.access-key-secret (or ingest.auth.keys-file), "
                    + "or listen on 127.0.0.1");
        }
        LOG.warn("No AccessKey configured (ingest.auth.access-key-id): the API accepts unsigned calls "
                + "and listens on {} only", host);
    }

    private static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) {
        // no route templates
    }

    @Override
    public java.util.Set<String> updateRoutesToCamelContext(CamelContext context) {
        return java.util.Set.of();
    }
}
