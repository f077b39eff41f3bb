package io.mediaurlingest.ops;

import java.nio.file.Path;

import io.mediaurlingest.Database;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import io.mediaurlingest.fetch.DiskReserve;
import io.mediaurlingest.store.StorageLocations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Operations: the meter registry (metricsRegistry, the one camel-main's management server
 * scrapes at /observe/metrics; an ESB's own is used when it bound one), the service's meters
 * (ingestMetrics), the free space downloads leave under ingest.data-dir (diskReserve), and the
 * readiness checks Camel's health registry finds in the registry: database, store-NAME per
 * storage location, disk-space.
 */
public final class OpsConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.data-dir")
    String dataDir;
    @PropertyInject("ingest.fetch.min-free-disk")
    String minFreeDisk;

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        MeterRegistry registry = RegistryBinding.bindIfAbsent(context, "metricsRegistry", MeterRegistry.class,
                () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        RegistryBinding.bindIfAbsent(context, "ingestMetrics", IngestMetrics.class, () -> {
            new DatabaseFigures(database).register(registry);
            return new IngestMetrics(registry);
        });
        context.getRegistry().bind("databaseCheck", new DatabaseCheck(database));
        StorageLocations locations = RegistryBinding.lookup(context, "storageLocations", StorageLocations.class);
        for (String name : locations.names()) {
            context.getRegistry().bind("storeCheck-" + name, new StoreCheck(locations, name));
        }
        DiskReserve disk = RegistryBinding.bindIfAbsent(context, "diskReserve", DiskReserve.class,
                () -> new DiskReserve(Path.of(dataDir), Settings.parseSize(minFreeDisk)));
        context.getRegistry().bind("diskSpaceCheck", new DiskSpaceCheck(disk));
    }
}
