package io.mediaurlingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * Three node JVMs on one Artemis broker, one PostgreSQL and one S3 endpoint (S3Proxy on its
 * own): 60 jobs from slow sources submitted to two nodes, the node that took half of them
 * killed with SIGKILL mid-download. Every job ends SUCCESS with the source's bytes, one media
 * and one delivered success event each; the killed node's running jobs are finished by the
 * others; the per-host limit holds across the cluster; each sweep fires once per period for
 * the whole cluster, and goes on firing after the kill; a cancel sent to one node stops a
 * download running on another within two seconds.
 */
class ClusterEndToEndTest {

    private static final int JOBS = 60;
    private static final int PER_HOST = 6;
    private static final long FILE_SIZE = 2L << 20;
    /** The sweeps that fire every second here (the others run each minute or hour, the same way). */
    private static final List<String> SWEEPS = List.of("requeue-stale-jobs", "retry-due-callbacks");

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void threeNodesLoseNothingWhenOneIsKilled() throws Exception {
        try (SharedClusterParts shared = SharedClusterParts.start(workDir);
                GeneratedMediaSource source = new GeneratedMediaSource(Fixtures.media("sample.mp4"), FILE_SIZE, 1L << 20);
                GeneratedMediaSource slow = new GeneratedMediaSource(Fixtures.media("sample.mp4"), 64L << 20, 256L << 10);
                LoopbackHttpServer receiver = new LoopbackHttpServer()) {
            Map<String, String> settings = shared.nodeSettings();
            settings.put("ingest.fetch.per-host-concurrency", String.valueOf(PER_HOST));
            // a killed node's downloads may still be counted by the source until their file's time is
            // up (2 s): the lease (at least 4 s left after a kill) outlasts them, so the source's count
            // of downloads at once compares with the cluster's limit
            settings.put("ingest.job.lease", "5s");
            settings.put("ingest.job.lease-renewal", "1000");
            settings.put("ingest.job.sweep-period", "1000");
            settings.put("ingest.callback.sweep-period", "1000");
            settings.put("ingest.cluster.checkin-interval", "2s");
            List<String> names = List.of("node-a", "node-b", "node-c");
            // the nodes' logs stay after the run (target/cluster-test), to read when it fails
            Path logs = Files.createDirectories(Path.of("target", "cluster-test"));
            Map<String, Integer> managementPorts = new HashMap<>();
            List<CompletableFuture<ForkedService>> starting = new ArrayList<>();
            for (String name : names) {
                Map<String, String> own = new HashMap<>(settings);
                own.put("ingest.node-id", name);
                int management = RunningService.freePort();
                managementPorts.put(name, management);
                own.put("camel.management.port", String.valueOf(management));
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ForkedService.start("256m", RunningService.freePort(), workDir.resolve(name),
                                logs.resolve(name + ".log"), own);
                    } catch (Exception e) {
                        throw new IllegalStateException(name + " did not start", e);
                    }
                }));
            }
            List<ForkedService> nodes = new ArrayList<>();
            for (CompletableFuture<ForkedService> node : starting) {
                nodes.add(node.join());
            }
            try {
                ApiClient a = new ApiClient(nodes.get(0).baseUrl());
                ApiClient b = new ApiClient(nodes.get(1).baseUrl());

                // each sweep fires once per period (1 s) for the three nodes together, not once per node:
                // six runs take five periods or more (once per node would take two)
                for (String sweep : SWEEPS) {
                    long startedAt = System.nanoTime();
                    double firedBefore = sweepFires(sweep, managementPorts.values());
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                            .until(() -> sweepFires(sweep, managementPorts.values()) - firedBefore >= 6);
                    assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).as(sweep)
                            .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
                }

                String callback = "{\"MessageCallback\":{\"CallbackURL\":\"" + receiver.url("/events") + "\"}}";
                List<String> jobIds = new ArrayList<>();
                for (int batch = 0; batch < 4; batch++) {
                    ApiClient node = batch % 2 == 0 ? a : b; // half the jobs through node-a, half through node-b
                    String urls = IntStream.range(batch * 15, batch * 15 + 15)
                            .mapToObj(i -> RunningService.encode(source.url("/clip-" + i + ".mp4"))).collect(Collectors.joining(","));
                    JsonNode reply = node.call("UploadMediaByURL", Map.of("UploadURLs", urls, "UserData", callback));
                    reply.path("UploadJobs").forEach(job -> jobIds.add(job.path("JobId").asText()));
                }
                assertThat(jobIds).hasSize(JOBS);

                // node-a is killed while it downloads
                // (read from the database: a moment after a job is seen downloading there, node-a is gone)
                String downloadingOnA = "SELECT COUNT(*) FROM upload_job WHERE status = 'PROCESSING' AND lease_owner = 'node-a' "
                        + "AND bytes_done > 0 AND bytes_done < " + FILE_SIZE * 3 / 4;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> shared.count(downloadingOnA) > 0);
                nodes.get(0).kill();
                Set<String> cutOff = new HashSet<>(shared.column("SELECT job_id FROM upload_job WHERE status = 'PROCESSING' "
                        + "AND lease_owner = 'node-a'"));
                assertThat(cutOff).as("jobs node-a was running when it was killed").isNotEmpty();
                List<Integer> survivors = List.of(managementPorts.get("node-b"), managementPorts.get("node-c"));
                double firedAtKill = sweepFires(SWEEPS.get(0), survivors);

                try {
                    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                            .until(() -> statuses(b, jobIds).values().stream().allMatch(s -> s.path("Status").asText().equals("SUCCESS")));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("jobs not ended SUCCESS: " + statuses(b, jobIds).values().stream()
                            .filter(j -> !j.path("Status").asText().equals("SUCCESS")).toList() + "; killed while running: " + cutOff
                            + "; rows: " + shared.rows("SELECT job_id, status, node_id, lease_owner, lease_expires_at, updated_at, "
                            + "attempts, source_host FROM upload_job WHERE status <> 'SUCCESS'"), e);
                }
                Map<String, JsonNode> ended = statuses(b, jobIds);
                Set<String> ranOn = ended.values().stream().map(j -> j.path("NodeId").asText()).collect(Collectors.toSet());
                assertThat(ranOn).as("nodes that ran jobs").contains("node-b", "node-c");
                for (String jobId : cutOff) {
                    assertThat(ended.get(jobId).path("NodeId").asText()).as("the node that finished " + jobId).isNotEqualTo("node-a");
                }
                assertThat(source.mostAtOnce()).as("downloads from the source host at once, all nodes").isLessThanOrEqualTo(PER_HOST);

                String expected = source.sha256();
                for (JsonNode job : ended.values()) {
                    JsonNode file = b.call("GetMediaInfo", Map.of("MediaId", job.path("MediaId").asText()))
                            .path("MediaInfo").path("FileInfoList").get(0).path("FileBasicInfo");
                    assertThat(b.sha256Of(file.path("FileUrl").asText())).as("bytes of " + job.path("JobId").asText()).isEqualTo(expected);
                }

                await().atMost(Duration.ofSeconds(60)).until(() -> receivedJobIds(receiver).containsAll(jobIds));
                assertThat(shared.count("SELECT COUNT(*) FROM media")).isEqualTo(JOBS);
                assertThat(shared.count("SELECT COUNT(DISTINCT media_id) FROM media")).isEqualTo(JOBS);
                assertThat(shared.count("SELECT COUNT(*) FROM callback_event WHERE event_type = 'UploadByURLComplete'")).isEqualTo(JOBS);
                assertThat(shared.count("SELECT COUNT(DISTINCT job_id) FROM callback_event WHERE status = 'DELIVERED' "
                        + "AND event_type = 'UploadByURLComplete'")).isEqualTo(JOBS);
                assertThat(receiver.received()).extracting(r -> r.iceMessage().path("JobId").asText())
                        .containsExactlyInAnyOrderElementsOf(jobIds);
                assertThat(receiver.received()).allMatch(r -> r.iceMessage().path("Status").asText().equals("Success"));

                // a cancel through one node stops a download running on another within two seconds
                String slowJob = b.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(slow.url("/long.mp4")),
                        "UserData", callback)).path("UploadJobs").get(0).path("JobId").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> b.job(slowJob).path("BytesDone").asLong() > 0);
                String runner = b.job(slowJob).path("NodeId").asText();
                ApiClient other = new ApiClient(nodes.get(runner.equals("node-b") ? 2 : 1).baseUrl());
                assertThat(other.call("CancelUrlUploadJobs", Map.of("JobIds", slowJob)).path("CanceledJobs"))
                        .extracting(JsonNode::asText).containsExactly(slowJob);
                long canceledAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> slow.inProgress() == 0);
                assertThat(Duration.ofNanos(System.nanoTime() - canceledAt)).isLessThan(Duration.ofMillis(2500));
                assertThat(b.job(slowJob).path("Status").asText()).isEqualTo("CANCELED");

                // the two nodes left go on firing the sweep between them (node-a's share is taken over)
                await().atMost(Duration.ofSeconds(30)).until(() -> sweepFires(SWEEPS.get(0), survivors) - firedAtKill >= 3);
            } finally {
                for (ForkedService node : nodes) {
                    node.close();
                }
            }
        }
    }

    private static Map<String, JsonNode> statuses(ApiClient api, List<String> jobIds) throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        for (int i = 0; i < jobIds.size(); i += 10) {
            String ids = String.join(",", jobIds.subList(i, Math.min(jobIds.size(), i + 10)));
            api.call("GetUrlUploadInfos", Map.of("JobIds", ids)).path("URLUploadInfoList")
                    .forEach(j -> byId.put(j.path("JobId").asText(), j));
        }
        return byId;
    }

    private static Set<String> receivedJobIds(LoopbackHttpServer receiver) {
        Set<String> ids = new HashSet<>();
        receiver.received().forEach(r -> ids.add(r.iceMessage().path("JobId").asText()));
        return ids;
    }

    /** A sweep's runs on these nodes so far, from their Prometheus scrapes (a dead node's count as 0). */
    private double sweepFires(String sweep, Iterable<Integer> managementPorts) {
        double total = 0;
        for (int port : managementPorts) {
            try {
                String scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                for (String line : scrape.split("\n")) {
                    if (line.startsWith("camel_exchanges_total{") && line.contains("routeId=\"" + sweep + "\"")) {
                        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            } catch (Exception gone) {
                // a killed node has no scrape
            }
        }
        return total;
    }

}
