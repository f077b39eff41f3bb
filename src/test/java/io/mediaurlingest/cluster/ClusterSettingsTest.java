package io.mediaurlingest.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import io.mediaurlingest.MediaUrlIngest;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker makes a node one of a cluster, which needs the shared database and store: a node
 * that would keep its own H2 file or embedded store refuses to start, saying what to set. The
 * refusal comes before any connection is made (the broker URL here names nothing).
 */
class ClusterSettingsTest {

    @TempDir
    Path dataDir;

    static Object[][] unsharedParts() {
        return new Object[][] {
            {Map.of(), "ingest.db.url"}, // the default: this node's H2 file
            {Map.of("ingest.db.url", "jdbc:h2:mem:x"), "ingest.db.url"},
            {Map.of("ingest.db.url", "jdbc:h2:file:/var/lib/ingest/db"), "ingest.db.url"},
            {Map.of("ingest.db.url", "jdbc:postgresql://127.0.0.1:1/ingest"), "ingest.store.endpoint"}, // embedded store
        };
    }

    @ParameterizedTest
    @MethodSource("unsharedParts")
    void aClusterNodeRefusesItsOwnDatabaseOrStore(Map<String, String> settings, String named) throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties overrides = new Properties();
            overrides.setProperty("ingest.data-dir", dataDir.toString());
            overrides.setProperty("ingest.api.endpoint", "direct:ice-api");
            overrides.setProperty("ingest.broker.url", "tcp://127.0.0.1:1");
            overrides.putAll(settings);
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            assertThatThrownBy(() -> context.addRoutes(new MediaUrlIngest()))
                    .hasMessageContaining("cluster mode")
                    .hasMessageContaining(named)
                    .hasMessageContaining("README, Run a cluster");
        }
    }
}
