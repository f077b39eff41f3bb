package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A misspelled ingest.* key stops the start and is named, with the key that was meant. */
class KnownSettingsTest {

    private static CamelContext contextWith(Properties overrides) {
        CamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return context;
    }

    @Test
    void aMisspelledKeyInTheConfigurationStopsTheStart() throws Exception {
        Properties typo = new Properties();
        typo.setProperty("ingest.fetch.max-atempts", "9");
        typo.setProperty("ingest.api.endpoint", "direct:ice-api");
        try (CamelContext context = contextWith(typo)) {
            assertThatThrownBy(() -> context.addRoutes(new MediaUrlIngest()))
                    .hasMessageContaining("ingest.fetch.max-atempts")
                    .hasMessageContaining("did you mean ingest.fetch.max-attempts?");
        }
    }

    @Test
    void aMisspelledSystemPropertyStopsTheStartToo() throws Exception {
        System.setProperty("ingest.callback.timout", "9s");
        try (CamelContext context = contextWith(new Properties())) {
            assertThatThrownBy(() -> context.addRoutes(new MediaUrlIngest()))
                    .hasMessageContaining("ingest.callback.timout (did you mean ingest.callback.timeout?)");
        } finally {
            System.clearProperty("ingest.callback.timout");
        }
    }

    @Test
    void aNamedLocationsOwnKeysAreKnown() throws Exception {
        Properties named = new Properties();
        named.setProperty("ingest.store.location.mirror.bucket", "mirror");
        named.setProperty("ingest.store.location.mirror.region", "eu-west-1");
        try (CamelContext context = contextWith(named)) {
            KnownSettings.check(context); // no exception
        }
        assertThat(KnownSettings.distance("max-atempts", "max-attempts")).isEqualTo(1);
    }
}
