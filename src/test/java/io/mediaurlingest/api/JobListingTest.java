package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ListUrlUploadJobs and RetryUrlUploadJobs, the console's actions, as any client calls them. */
class JobListingTest {

    @TempDir
    static Path dataDir;
    static LoopbackHttpServer sources;
    static RunningService service;
    static List<String> underscored = new ArrayList<>();
    static String failed;

    @BeforeAll
    static void start() throws Exception {
        byte[] clip = Fixtures.media("sample.mp4");
        sources = new LoopbackHttpServer().serve("/a_b/1.mp4", "video/mp4", clip).serve("/a_b/2.mp4", "video/mp4", clip)
                .serve("/a_b/3.mp4", "video/mp4", clip).serve("/axb/4.mp4", "video/mp4", clip);
        service = RunningService.start(dataDir, RunningService.loopbackAllowed());
        for (String path : List.of("/a_b/1.mp4", "/a_b/2.mp4", "/a_b/3.mp4", "/axb/4.mp4", "/a_b/gone.mp4")) {
            String jobId = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(sources.url(path))))
                    .body().path("UploadJobs").get(0).path("JobId").asText();
            service.awaitJobEnd(jobId);
            if (path.startsWith("/a_b/")) {
                underscored.add(jobId);
            }
            if (path.contains("gone")) {
                failed = jobId;
            }
        }
    }

    @AfterAll
    static void stop() {
        service.close();
        sources.close();
    }

    static JsonNode list(Map<String, String> parameters) throws Exception {
        RunningService.ApiReply reply = service.call("ListUrlUploadJobs", parameters);
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        return reply.body();
    }

    @Test
    void aPrefixIsTakenLiterallyAndPagesWalkEveryJobNewestFirstOnce() throws Exception {
        String prefix = sources.url("/a_b/"); // '_' must not match any character
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = list(token == null ? Map.of("SourceURLPrefix", prefix, "MaxResults", "2")
                    : Map.of("SourceURLPrefix", prefix, "MaxResults", "2", "NextToken", token));
            page.path("Jobs").forEach(j -> seen.add(j.path("JobId").asText()));
            token = page.path("NextToken").isMissingNode() ? null : page.path("NextToken").asText();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(2);
        List<String> newestFirst = new ArrayList<>(underscored);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        JsonNode counts = list(Map.of("SourceURLPrefix", prefix)).path("StatusCounts");
        assertThat(counts.path("SUCCESS").asLong()).isEqualTo(3);
        assertThat(counts.path("FAIL").asLong()).isEqualTo(1);
    }

    @Test
    void filtersNarrowTheListAndCountsLeaveTheStatusFilterOut() throws Exception {
        JsonNode failures = list(Map.of("Status", "FAIL", "ErrorCode", "SourceNotFound"));

        assertThat(failures.path("Jobs")).extracting(j -> j.path("JobId").asText()).containsExactly(failed);
        assertThat(failures.path("Jobs").get(0).path("Attempts").asInt()).isEqualTo(1);
        assertThat(failures.path("StatusCounts").path("FAIL").asLong()).isEqualTo(1);
        assertThat(failures.path("StatusCounts").path("SUCCESS").asLong()).as("other filters count: no success has an ErrorCode")
                .isZero();
        assertThat(list(Map.of("Status", "FAIL")).path("StatusCounts").path("SUCCESS").asLong()).isEqualTo(4);
        assertThat(list(Map.of("JobId", failed)).path("Jobs")).hasSize(1);
        assertThat(service.call("ListUrlUploadJobs", Map.of("Status", "DONE")).status()).isEqualTo(400);
        assertThat(service.call("ListUrlUploadJobs", Map.of("NextToken", "bm90IGEgdG9rZW4")).body().path("Code").asText())
                .isEqualTo("InvalidParameter");
    }

    @Test
    void onlyFailedOrCanceledJobsAreRetried() throws Exception {
        String succeeded = underscored.get(0);
        JsonNode reply = service.call("RetryUrlUploadJobs", Map.of("JobIds", succeeded + ",nosuchjob")).body();

        assertThat(reply.path("RetriedJobs")).isEmpty();
        assertThat(reply.path("IgnoredJobs")).extracting(JsonNode::asText).containsExactly(succeeded);
        assertThat(reply.path("NonExists")).extracting(JsonNode::asText).containsExactly("nosuchjob");
    }
}
