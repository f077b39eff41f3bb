package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ESB adds the ingest routes and beans to its own CamelContext, without camel-main. */
class EmbeddedInPlainCamelContextTest {

    @TempDir
    Path dataDir;

    @Test
    void oneJobRunsThroughTheDirectEntryPoint() throws Exception {
        byte[] mp3 = Fixtures.media("sample.mp3");
        try (LoopbackHttpServer sources = new LoopbackHttpServer().serve("/a/song.mp3", "audio/mpeg", mp3);
                DefaultCamelContext context = new DefaultCamelContext()) {
            Properties overrides = new Properties();
            overrides.setProperty("ingest.data-dir", dataDir.toString());
            overrides.setProperty("ingest.api.endpoint", "direct:ice-api");
            overrides.setProperty("ingest.store.embedded.port", "0");
            overrides.setProperty("ingest.fetch.allow-private-networks", "true");
            context.getPropertiesComponent().setLocation("classpath:application.properties");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            context.addRoutes(new MediaUrlIngest());
            context.start();

            ProducerTemplate api = context.createProducerTemplate();
            String reply = api.requestBody("direct:ice-api",
                    Map.of("Action", "UploadMediaByURL", "UploadURLs", sources.url("/a/song.mp3")), String.class);
            JsonNode job = Json.read(reply).path("UploadJobs").get(0);
            String jobId = job.path("JobId").asText();

            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String infos = api.requestBody("direct:ice-api", Map.of("Action", "GetUrlUploadInfos", "JobIds", jobId),
                        String.class);
                return Json.read(infos).path("URLUploadInfoList").get(0).path("Status").asText().equals("SUCCESS");
            });
            var media = context.getRegistry().lookupByNameAndType("mediaRepository", MediaRepository.class)
                    .find(job.path("MediaId").asText()).orElseThrow();
            assertThat(media.fileSize()).isEqualTo(mp3.length);
            assertThat(media.sha256()).isEqualTo(Fixtures.sha256(mp3));
            assertThat(media.title()).isEqualTo("song");

            // the bundle's readiness checks are in the host's registry, and they answer
            var checks = context.getRegistry().findByType(org.apache.camel.health.HealthCheck.class);
            assertThat(checks).extracting(org.apache.camel.health.HealthCheck::getId)
                    .containsExactlyInAnyOrder("database", "store-local-vod", "disk-space");
            assertThat(checks).allSatisfy(check -> assertThat(check.call().getState())
                    .isEqualTo(org.apache.camel.health.HealthCheck.State.UP));
            // and the service's meters are in the registry bound as metricsRegistry
            var meters = context.getRegistry().lookupByNameAndType("metricsRegistry",
                    io.micrometer.core.instrument.MeterRegistry.class);
            assertThat(meters.get("ingest.jobs.ended").tag("status", "SUCCESS").counter().count()).isEqualTo(1.0);
        }
    }
}
