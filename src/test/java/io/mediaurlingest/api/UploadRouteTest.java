package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.MediaUrlIngest;
import io.mediaurlingest.job.JobRepository;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;

/** The API route alone: the queue is replaced by a mock, so only submit and split are under test. */
class UploadRouteTest extends CamelTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties overrides = new Properties();
        overrides.setProperty("ingest.data-dir", Files.createTempDirectory("upload-route").toString());
        overrides.setProperty("ingest.api.endpoint", "direct:ice-api");
        overrides.setProperty("ingest.store.embedded.port", "0");
        context.getPropertiesComponent().setLocation("classpath:application.properties");
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return context;
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new MediaUrlIngest();
    }

    private MockEndpoint queueReplacedByMock() throws Exception {
        AdviceWith.adviceWith(context, "ice-api", route -> route.mockEndpointsAndSkip("seda:ingest-jobs*"));
        context.start();
        return getMockEndpoint("mock:seda:ingest-jobs");
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
        JobRepository repository = context.getRegistry().lookupByNameAndType("jobRepository", JobRepository.class);
        assertThat(repository.findByIds(jobIds)).extracting(j -> j.status().name()).containsExactly("PENDING", "PENDING");
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
        JobRepository repository = context.getRegistry().lookupByNameAndType("jobRepository", JobRepository.class);
        assertThat(repository.findByUrls(List.of("https://media.example.com/c.mp4"))).isEmpty();
    }
}
