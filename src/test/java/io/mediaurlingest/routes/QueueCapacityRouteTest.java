package io.mediaurlingest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.job.JobIdQueue;
import org.junit.jupiter.api.Test;

/**
 * The default in-memory queue is full: UploadMediaByURL refuses with 503 Throttling before any
 * job is persisted, instead of persisting jobs the queue cannot take.
 */
class QueueCapacityRouteTest extends RouteTestSupport {

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.setProperty("ingest.queue.uri", "seda:ingest-jobs?queue=#ingestJobQueue");
        p.setProperty("ingest.queue.capacity", "3");
        return p;
    }

    private JsonNode submit(String... urls) throws Exception {
        return Json.read(template.requestBody("direct:ice-api", Map.of("Action", "UploadMediaByURL",
                "UploadURLs", String.join(",", urls)), String.class));
    }

    @Test
    void aBatchTheQueueCannotTakeIsRefusedAndNothingIsPersisted() throws Exception {
        context.start();
        context.getRouteController().stopRoute("ingest"); // nobody takes jobs off the queue: it fills
        JobIdQueue queue = context.getRegistry().lookupByNameAndType("ingestJobQueue", JobIdQueue.class);

        JsonNode first = submit("https://cdn.example.com/1.mp4", "https://cdn.example.com/2.mp4");
        assertThat(first.path("UploadJobs")).hasSize(2);
        assertThat(queue.size()).isEqualTo(2);

        JsonNode refused = submit("https://cdn.example.com/3.mp4", "https://cdn.example.com/4.mp4");

        assertThat(refused.path("Code").asText()).isEqualTo("Throttling");
        assertThat(refused.path("Message").asText()).contains("ingest.queue.capacity");
        assertThat(queue.size()).isEqualTo(2);
        assertThat(jobs().findByUrls(List.of("https://cdn.example.com/3.mp4", "https://cdn.example.com/4.mp4"))).isEmpty();
        assertThat(submit("https://cdn.example.com/5.mp4").path("UploadJobs")).hasSize(1); // one still fits
    }
}
