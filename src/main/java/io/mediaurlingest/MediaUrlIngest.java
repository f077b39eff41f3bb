package io.mediaurlingest;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.mediaurlingest.api.ApiConfiguration;
import io.mediaurlingest.callback.CallbackConfiguration;
import io.mediaurlingest.cluster.ClusterConfiguration;
import io.mediaurlingest.fetch.FetchConfiguration;
import io.mediaurlingest.job.JobConfiguration;
import io.mediaurlingest.media.MediaConfiguration;
import io.mediaurlingest.ops.OpsConfiguration;
import io.mediaurlingest.store.StoreConfiguration;
import io.mediaurlingest.workflow.WorkflowConfiguration;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Everything media-url-ingest adds to a CamelContext: each capability's beans (its
 * configuration class), the error policy, and the YAML flows. camel-main uses it through
 * {@link Application}; an ESB adds it to its own context with
 * {@code context.addRoutes(new MediaUrlIngest())} after loading application.properties (and
 * setting ingest.api.endpoint to an endpoint of its HTTP stack or direct:ice-api). A bean the
 * ESB or a test bound before is kept: the configurations bind only what is missing.
 */
public final class MediaUrlIngest implements RoutesBuilder {

    /** The capabilities, in the order their beans depend on one another. */
    private static final List<Supplier<CamelConfiguration>> CAPABILITIES = List.of(DatabaseConfiguration::new,
            ClusterConfiguration::new, StoreConfiguration::new, OpsConfiguration::new, MediaConfiguration::new, CallbackConfiguration::new, FetchConfiguration::new,
            JobConfiguration::new, WorkflowConfiguration::new, ApiConfiguration::new);

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        KnownSettings.check(context); // a misspelled ingest.* key stops the start, naming it
        CamelBeanPostProcessor injector = PluginHelper.getBeanPostProcessor(context);
        for (Supplier<CamelConfiguration> capability : CAPABILITIES) {
            CamelConfiguration configuration = capability.get();
            String name = configuration.getClass().getSimpleName();
            injector.postProcessBeforeInitialization(configuration, name); // @PropertyInject
            injector.postProcessAfterInitialization(configuration, name);
            configuration.configure(context);
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addPropertiesFunction(new MillisPropertiesFunction(properties));
        context.addRoutesConfigurations(new IngestErrorHandling(
                Settings.parseDuration(required(properties, "ingest.fetch.retry-delay")).toMillis(),
                Settings.parseDuration(required(properties, "ingest.fetch.max-retry-delay")).toMillis()));
        loadFlows(context, required(properties, "ingest.routes"), true);
        loadFlows(context, required(properties, "ingest.workflows"), false);
    }

    private static String required(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElseThrow(() -> new IllegalStateException(
                key + " is not set: load application.properties (see README, Embedding)"));
    }

    /**
     * Loads the YAML flows at the comma-separated patterns, one per file name (a class path that
     * lists a folder twice must not load it twice).
     */
    private static void loadFlows(CamelContext context, String patterns, boolean required) throws Exception {
        Map<String, Resource> byName = new TreeMap<>();
        for (String pattern : Settings.list(patterns)) {
            for (Resource flow : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern)) {
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
