package io.mediaurlingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.ApiClient;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.ForkedService;
import io.mediaurlingest.support.GeneratedMediaSource;
import io.mediaurlingest.support.SharedClusterParts;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while two nodes work through 20 jobs, and comes back on its journal:
 * the jobs that were running finish meanwhile (their events wait in the outbox), the nodes'
 * listeners reconnect, and every job ends SUCCESS once, with its media and one delivered event.
 */
class BrokerRestartTest {

    private static final int JOBS = 20;

    @TempDir
    Path workDir;

    @Test
    void jobsAndEventsOutliveABrokerRestart() throws Exception {
        try (SharedClusterParts shared = SharedClusterParts.start(workDir);
                GeneratedMediaSource source = new GeneratedMediaSource(Fixtures.media("sample.mp4"), 2L << 20, 1L << 20);
                LoopbackHttpServer receiver = new LoopbackHttpServer()) {
            Map<String, String> settings = shared.nodeSettings();
            settings.put("ingest.concurrency", "2");
            settings.put("ingest.callback.sweep-period", "1000");
            Path logs = Files.createDirectories(Path.of("target", "cluster-test"));
            List<ForkedService> nodes = new ArrayList<>();
            try {
                for (String name : List.of("restart-a", "restart-b")) {
                    Map<String, String> own = new HashMap<>(settings);
                    own.put("ingest.node-id", name);
                    nodes.add(ForkedService.start("256m", RunningService.freePort(), workDir.resolve(name),
                            logs.resolve(name + ".log"), own));
                }
                ApiClient api = new ApiClient(nodes.get(0).baseUrl());
                String callback = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}";
                String urls = IntStream.range(0, JOBS).mapToObj(i -> RunningService.encode(source.url("/r-" + i + ".mp4")))
                        .collect(Collectors.joining(","));
                List<String> jobIds = new ArrayList<>();
                api.call("UploadMediaByURL", Map.of("UploadURLs", urls, "UserData", callback)).path("UploadJobs")
                        .forEach(j -> jobIds.add(j.path("JobId").asText()));
                assertThat(jobIds).hasSize(JOBS);

                // the broker stops while jobs run and others wait on it
                await().atMost(Duration.ofSeconds(60)).until(() -> count(api, jobIds, "PROCESSING") > 0
                        && count(api, jobIds, "SUCCESS") > 0);
                Set<String> running = withStatus(api, jobIds, "PROCESSING");
                shared.broker().stopServer();
                // what was running goes on to its end without the broker, and nothing else starts
                await().atMost(Duration.ofSeconds(30)).until(() -> count(api, jobIds, "PROCESSING") == 0);
                assertThat(withStatus(api, jobIds, "SUCCESS")).containsAll(running);
                assertThat(count(api, jobIds, "SUCCESS")).isLessThan(JOBS);
                assertThat(count(api, jobIds, "FAIL")).isZero();
                shared.broker().startServer();

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> count(api, jobIds, "SUCCESS") == JOBS);
                await().atMost(Duration.ofSeconds(60)).until(() -> receivedJobIds(receiver).containsAll(jobIds));
                assertThat(shared.count("SELECT COUNT(*) FROM media")).isEqualTo(JOBS);
                assertThat(shared.count("SELECT COUNT(*) FROM callback_event WHERE status = 'DELIVERED'")).isEqualTo(JOBS);
                String expected = source.sha256();
                for (String jobId : jobIds) {
                    JsonNode file = api.call("GetMediaInfo", Map.of("MediaId", api.job(jobId).path("MediaId").asText()))
                            .path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
                    assertThat(api.sha256Of(file.path("FileUrl").asText())).isEqualTo(expected);
                }
            } finally {
                for (ForkedService node : nodes) {
                    node.close();
                }
            }
        }
    }

    private static long count(ApiClient api, List<String> jobIds, String status) throws Exception {
        return withStatus(api, jobIds, status).size();
    }

    private static Set<String> withStatus(ApiClient api, List<String> jobIds, String status) throws Exception {
        Set<String> found = new HashSet<>();
        for (int i = 0; i < jobIds.size(); i += 10) {
            String ids = String.join(",", jobIds.subList(i, Math.min(jobIds.size(), i + 10)));
            for (JsonNode job : api.call("GetUrlUploadInfos", Map.of("JobIds", ids)).path("URLUploadInfoList")) {
                if (job.path("Status").asText().equals(status)) {
                    found.add(job.path("JobId").asText());
                }
            }
        }
        return found;
    }

    private static Set<String> receivedJobIds(LoopbackHttpServer receiver) {
        Set<String> ids = new HashSet<>();
        receiver.received().forEach(r -> ids.add(r.iceMessage().path("JobId").asText()));
        return ids;
    }

}
