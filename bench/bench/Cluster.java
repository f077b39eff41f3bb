package bench;

import static bench.Bench.*;
import static bench.Shell.*;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.GeneratedMediaSource;
import io.mediaurlingest.support.LocalBroker;
import io.mediaurlingest.support.LocalPostgres;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * bench/run.sh 1 cluster: the same 24 files, from a source that serves each connection at 4 MiB/s
 * (so a node waits on its sources, as with remote origins, instead of on this machine's 2 cores),
 * ingested by one node and then by three nodes of a cluster, each node with the same concurrency
 * (2), on one Artemis broker, one PostgreSQL and one S3 endpoint (S3Proxy on its own).
 * Target (issue 19): the three nodes' aggregate throughput at least 2.5 times one node's.
 */
final class Cluster {

    static final int FILES = 24;
    static final long FILE_SIZE = 16L << 20;
    static final long SOURCE_RATE = 4L << 20;
    static final int CONCURRENCY = 2;

    static Map<String, Object> run(int rounds) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", LocalDate.now().toString());
        results.put("machine", machine());
        results.put("files", FILES);
        results.put("fileBytes", FILE_SIZE);
        results.put("sourceBytesPerSecondPerConnection", SOURCE_RATE);
        results.put("concurrencyPerNode", CONCURRENCY);
        Path work = Files.createDirectories(WORK.resolve("cluster"));
        S3Proxy store = standaloneStore(work);
        List<Map<String, Object>> runs = new ArrayList<>();
        try (LocalPostgres postgres = LocalPostgres.start();
                LocalBroker broker = LocalBroker.start(work.resolve("broker"));
                GeneratedMediaSource source = new GeneratedMediaSource(Fixtures.media("sample.mp4"), FILE_SIZE, SOURCE_RATE)) {
            String[] shared = {"-Dingest.broker.url=" + broker.url(), "-Dingest.db.url=" + postgres.jdbcUrl(),
                "-Dingest.db.username=postgres", "-Dingest.store.endpoint=http://127.0.0.1:" + store.getPort(),
                "-Dingest.concurrency=" + CONCURRENCY, "-Dingest.fetch.per-host-concurrency=" + 3 * CONCURRENCY};
            for (int round = 0; round < rounds; round++) {
                for (int nodes : new int[] {1, 3}) {
                    Map<String, Object> measured = ingest(nodes, round, shared, source);
                    runs.add(measured);
                    System.out.println(measured);
                }
            }
        } finally {
            store.stop();
        }
        results.put("runs", runs);
        double one = best(runs, 1);
        double three = best(runs, 3);
        results.put("oneNodeBytesPerSecond", one);
        results.put("threeNodesBytesPerSecond", three);
        results.put("threeNodesOverOne", three / one);
        results.put("target", ">= 2.5");
        results.put("met", three / one >= 2.5);
        return results;
    }

    /** An S3 endpoint of its own for the nodes (a cluster refuses the embedded store), started. */
    static S3Proxy standaloneStore(Path work) throws Exception {
        S3Proxy store = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(Files.createDirectories(work.resolve("store")).toAbsolutePath().toString()))
                .endpoint(URI.create("http://127.0.0.1:" + freePort()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "local-identity", "local-credential")
                .build();
        store.start();
        while (!"STARTED".equals(store.getState())) {
            Thread.sleep(20);
        }
        return store;
    }

    /** Starts the nodes, submits the 24 URLs to the first, times until every job is SUCCESS. */
    static Map<String, Object> ingest(int nodeCount, int round, String[] shared, GeneratedMediaSource source) throws Exception {
        List<ServiceUnderTest> nodes = new ArrayList<>();
        try {
            for (int n = 0; n < nodeCount; n++) {
                String[] own = java.util.Arrays.copyOf(shared, shared.length + 1);
                own[shared.length] = "-Dingest.node-id=node-" + n;
                nodes.add(ServiceUnderTest.start("cluster-" + nodeCount + "-" + round + "-node-" + n, "512m", own));
            }
            ServiceUnderTest first = nodes.get(0);
            long start = System.nanoTime();
            List<String> jobIds = new ArrayList<>();
            for (int batch = 0; batch < FILES; batch += 12) { // two calls: at most 20 URLs a call
                String urls = IntStream.range(batch, batch + 12)
                        .mapToObj(i -> source.url("/r" + round + "-n" + nodeCount + "-" + i + ".mp4")).collect(Collectors.joining(","));
                JsonNode reply = first.call("UploadMediaByURL", Map.of("UploadURLs", urls));
                reply.path("UploadJobs").forEach(j -> jobIds.add(j.path("JobId").asText()));
                if (reply.path("UploadJobs").size() != 12) {
                    throw new IllegalStateException("submit refused: " + reply);
                }
            }
            Map<String, Integer> perNode = new TreeMap<>();
            while (true) {
                Map<String, String> status = new HashMap<>();
                perNode.clear();
                for (int i = 0; i < FILES; i += 10) {
                    String ids = String.join(",", jobIds.subList(i, Math.min(FILES, i + 10)));
                    first.call("GetUrlUploadInfos", Map.of("JobIds", ids)).path("URLUploadInfoList").forEach(j -> {
                        status.put(j.path("JobId").asText(), j.path("Status").asText());
                        perNode.merge(j.path("NodeId").asText(), 1, Integer::sum);
                    });
                }
                if (status.values().stream().anyMatch(s -> s.equals("FAIL") || s.equals("CANCELED"))) {
                    throw new IllegalStateException("a job failed: " + status);
                }
                if (status.size() == FILES && status.values().stream().allMatch("SUCCESS"::equals)) {
                    break;
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("nodes", nodeCount);
            out.put("round", round);
            out.put("seconds", seconds);
            out.put("bytesPerSecond", FILES * FILE_SIZE / seconds);
            out.put("jobsPerNode", new TreeMap<>(perNode));
            return out;
        } finally {
            for (ServiceUnderTest node : nodes) {
                node.close();
            }
        }
    }

    static double best(List<Map<String, Object>> runs, int nodes) {
        return runs.stream().filter(r -> (Integer) r.get("nodes") == nodes).mapToDouble(r -> (Double) r.get("bytesPerSecond"))
                .max().orElse(0);
    }

    static Path save(Map<String, Object> results) throws Exception {
        Path out = Path.of("bench/results/cluster-" + LocalDate.now() + ".json");
        Files.writeString(out, JSON.writeValueAsString(results));
        return out;
    }
}
