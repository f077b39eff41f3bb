package io.mediaurlingest.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * The API flow (routes/api.camel.yaml) with the job queue replaced by a mock: submit and split,
 * on the real front door, rules and an in-memory database.
 */
class ApiRouteTest extends RouteTestSupport {

    private MockEndpoint queueReplacedByMock() throws Exception {
        AdviceWith.adviceWith(context, "queue-submitted-jobs", route -> route.mockEndpointsAndSkip("direct:ingest-jobs"));
        context.start();
        return getMockEndpoint("mock:direct:ingest-jobs");
    }

    @Test
    void aBatchPutsOneJobIdPerUrlOnTheQueue() throws Exception {
        MockEndpoint queue = queueReplacedByMock();
        queue.expectedMessageCount(2);

        String reply = template.requestBody("direct:ice-api", Map.of("Action", "UploadMediaByURL",
                "UploadURLs", "https://media.example.com/a.mp4,https://media.example.com/b.m4a"), String.class);

        queue.assertIsSatisfied();
        JsonNode jobs = Json.read(reply).path("UploadJobs");
        List<String> jobIds = List.of(jobs.get(0).path("JobId").asText(), jobs.get(1).path("JobId").asText());
        assertThat(queue.getReceivedExchanges()).extracting(e -> e.getMessage().getBody(String.class))
                .containsExactlyElementsOf(jobIds);
        assertThat(jobs().findByIds(jobIds)).extracting(j -> j.status().name()).containsExactly("PENDING", "PENDING");
    }

    @Test
    void aRefusedBatchPutsNothingOnTheQueueAndPersistsNothing() throws Exception {
        MockEndpoint queue = queueReplacedByMock();
        queue.expectedMessageCount(0);

        String reply = template.requestBody("direct:ice-api", Map.of("Action", "UploadMediaByURL",
                "UploadURLs", "https://media.example.com/c.mp4,ftp://media.example.com/d.mp4"), String.class);

        JsonNode error = Json.read(reply);
        assertThat(error.path("Code").asText()).isEqualTo("InvalidParameter");
        assertThat(error.path("Message").asText()).contains("UploadURLs").contains("ftp://");
        queue.assertIsSatisfied();
        assertThat(jobs().findByUrls(List.of("https://media.example.com/c.mp4"))).isEmpty();
    }
}
