package io.mediaurlingest.store;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The stores: storageLocations (the default location, ingest.store.*, and the named ones of
 * ingest.store.locations; the embedded S3Proxy when the default has no endpoint) and
 * jobUploads (uploads of job files, with their part and thread pools).
 */
public final class StoreConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.data-dir")
    String dataDir;
    @PropertyInject("ingest.store.name")
    String name;
    @PropertyInject("ingest.store.endpoint")
    String endpoint;
    @PropertyInject("ingest.store.region")
    String region;
    @PropertyInject("ingest.store.access-key-id")
    String accessKeyId;
    @PropertyInject("ingest.store.secret-access-key")
    String secretAccessKey;
    @PropertyInject("ingest.store.bucket")
    String bucket;
    @PropertyInject("ingest.store.locations")
    String locations;
    @PropertyInject("ingest.store.embedded.host")
    String embeddedHost;
    @PropertyInject("ingest.store.embedded.port")
    int embeddedPort;
    @PropertyInject("ingest.store.part-size")
    String partSize;
    @PropertyInject("ingest.store.single-put-max")
    String singlePutMax;
    @PropertyInject("ingest.store.parallel-parts")
    int parallelParts;
    @PropertyInject("ingest.store.upload-threads")
    int uploadThreads;
    @PropertyInject("ingest.store.stale-upload-age")
    String staleUploadAge;

    @Override
    public void configure(CamelContext context) throws Exception {
        StorageLocations storageLocations = RegistryBinding.bindIfAbsent(context, "storageLocations",
                StorageLocations.class, () -> storageLocations(context.getPropertiesComponent()));
        RegistryBinding.bindIfAbsent(context, "jobUploads", JobUploads.class, () -> new JobUploads(storageLocations,
                context.getExecutorServiceManager().newFixedThreadPool(this, "store-parts", uploadThreads),
                context.getExecutorServiceManager().newCachedThreadPool(this, "store-puts"),
                Settings.parseSize(partSize), parallelParts, Settings.parseSize(singlePutMax)));
    }

    private StorageLocations storageLocations(PropertiesComponent properties) {
        URI defaultEndpoint = endpoint.isBlank() ? null : URI.create(endpoint);
        List<StorageLocations.Spec> specs = new ArrayList<>();
        specs.add(new StorageLocations.Spec(name, defaultEndpoint, region, accessKeyId, secretAccessKey, bucket));
        for (String named : Settings.list(locations)) {
            // ingest.store.location.NAME.*: a bucket of the default endpoint unless it names its own
            String prefix = "ingest.store.location." + named + ".";
            specs.add(new StorageLocations.Spec(named,
                    properties.resolveProperty(prefix + "endpoint").filter(e -> !e.isBlank()).map(URI::create)
                            .orElse(defaultEndpoint),
                    properties.resolveProperty(prefix + "region").orElse(region),
                    properties.resolveProperty(prefix + "access-key-id").orElse(accessKeyId),
                    properties.resolveProperty(prefix + "secret-access-key").orElse(secretAccessKey),
                    properties.resolveProperty(prefix + "bucket").orElseThrow(() -> new IllegalStateException(
                            "storage location " + named + " needs " + prefix + "bucket"))));
        }
        boolean embedded = specs.stream().anyMatch(s -> s.endpoint() == null);
        return new StorageLocations(specs, embedded ? new EmbeddedS3Store(Path.of(dataDir).resolve("store"),
                embeddedHost, embeddedPort, accessKeyId, secretAccessKey) : null, Settings.parseDuration(staleUploadAge));
    }
}
