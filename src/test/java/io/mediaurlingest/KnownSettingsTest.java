package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * A misspelled ingest.* key stops the start and is named, with the key that was meant; so does a
 * value not of its key's kind, with the rule.
 */
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

    @Test
    void aValueNotOfItsKeysKindStopsTheStartWithTheRule() throws Exception {
        Properties wrong = new Properties();
        wrong.setProperty("ingest.fetch.deadline", "6 hours");
        wrong.setProperty("ingest.store.part-size", "16 megabytes");
        wrong.setProperty("ingest.concurrency", "four");
        wrong.setProperty("ingest.fetch.allow-private-networks", "yes");
        try (CamelContext context = contextWith(wrong)) {
            assertThatThrownBy(() -> KnownSettings.check(context))
                    .hasMessageContaining("ingest.fetch.deadline = 6 hours is not a duration")
                    .hasMessageContaining("ingest.store.part-size = 16 megabytes is not a size")
                    .hasMessageContaining("ingest.concurrency = four is not a whole number")
                    .hasMessageContaining("ingest.fetch.allow-private-networks = yes is not true or false");
        }
        Properties fine = new Properties();
        fine.setProperty("ingest.fetch.deadline", "90m");
        fine.setProperty("ingest.callback.sweep-period", "100"); // milliseconds, as before units
        fine.setProperty("ingest.fetch.min-rate", "0");
        try (CamelContext context = contextWith(fine)) {
            KnownSettings.check(context);
        }
    }

    @Test
    void aWordOutsideItsChoicesStopsTheStart() throws Exception {
        for (String format : new String[] {"JSON", "xml", "logfmt"}) {
            Properties wrong = new Properties();
            wrong.setProperty("ingest.log.format", format);
            try (CamelContext context = contextWith(wrong)) {
                assertThatThrownBy(() -> KnownSettings.check(context))
                        .hasMessageContaining("ingest.log.format = " + format + " is not one of text, json");
            }
        }
    }

    @Test
    void contradictorySettingsStopTheStartNamingBothKeys() throws Exception {
        Properties wrong = new Properties();
        wrong.setProperty("ingest.job.lease", "10s");
        wrong.setProperty("ingest.job.lease-renewal", "10s");
        wrong.setProperty("ingest.fetch.retry-delay", "20m");
        wrong.setProperty("ingest.workflow.mirror.location", "backup");
        wrong.setProperty("ingest.store.locations", "archive");
        wrong.setProperty("ingest.store.location.archive.bucket", "archive");
        wrong.setProperty("ingest.callback.webhook-secret", "plain-secret");
        try (CamelContext context = contextWith(wrong)) {
            assertThatThrownBy(() -> KnownSettings.check(context))
                    .hasMessageStartingWith("Contradictory settings: ")
                    .hasMessageContaining("ingest.job.lease-renewal (10s) must be shorter than ingest.job.lease (10s)")
                    .hasMessageContaining("ingest.fetch.retry-delay (20m) must not exceed ingest.fetch.max-retry-delay (10m)")
                    .hasMessageContaining("ingest.workflow.mirror.location (backup) must be one of ingest.store.locations (archive)")
                    .hasMessageContaining("ingest.callback.webhook-secret must be a Standard Webhooks secret")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("plain-secret"));
        }
    }

    @Test
    void helpListsEveryKeyWithItsDefault() throws Exception {
        String help = KnownSettings.help();
        Properties shipped = new Properties();
        try (var in = KnownSettings.class.getResourceAsStream("/application.properties")) {
            shipped.load(in);
        }
        for (String key : shipped.stringPropertyNames()) {
            assertThat(help).contains("\n  " + key + "\n");
        }
        assertThat(help).contains("  ingest.api.port\n      Port of the API. Default: 8080\n");
    }
}
