package bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static bench.Bench.JSON;
import static bench.Bench.WORK;

/**
 * bench/run.sh 1 soak: 5,000 jobs over a mix of sources (good, cut mid-body, 503 then good,
 * stalling past the read timeout then good, 404, slow), killed with SIGKILL twice while they run
 * and started again on the same data. At the end every job must be in the end state its source
 * dictates, the media must match the successes, every job's event must have reached the
 * receiver under one webhook-id, and no temporary file or stray object may be left.
 */
final class Soak {

    static final int JOBS = 5_000;
    static final int BATCH = 20;
    static final String[] KINDS = {"good", "good", "good", "good", "good", "cut", "flaky", "stall", "missing", "slow"};

    private Soak() {
    }

    static Map<String, Object> run() throws Exception {
        byte[] media = Files.readAllBytes(Path.of("src/test/resources/media/sample.mp4"));
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        HttpServer sources = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        sources.setExecutor(Executors.newCachedThreadPool());
        sources.createContext("/", exchange -> serve(exchange, media, requests));
        sources.start();
        Map<String, Set<String>> webhookIdsByJob = new ConcurrentHashMap<>();
        AtomicInteger deliveries = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newFixedThreadPool(8));
        receiver.createContext("/", exchange -> {
            JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
            webhookIdsByJob.computeIfAbsent(event.path("MessageBody").path("JobId").asText(), j -> ConcurrentHashMap.newKeySet())
                    .add(exchange.getRequestHeaders().getFirst("webhook-id"));
            deliveries.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String sourceBase = "http://127.0.0.1:" + sources.getAddress().getPort() + "/";
        String callback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events";
        Shell.deleteTree(WORK.resolve("soak"));
        String[] settings = {"-Dingest.callback.allow-private-networks=true", "-Dingest.concurrency=16",
                "-Dingest.fetch.per-host-concurrency=16", "-Dingest.fetch.read-timeout=2s",
                "-Dingest.fetch.retry-delay=200ms", "-Dingest.fetch.max-retry-delay=2s", "-Dingest.fetch.max-attempts=6",
                "-Dingest.job.lease=10s", "-Dingest.job.lease-renewal=3s", "-Dingest.job.sweep-period=5s",
                "-Dingest.store.stale-upload-age=60s", "-Dingest.store.stale-upload-sweep-period=20s",
                "-Dingest.callback.sweep-period=1s"};

        long started = System.nanoTime();
        Map<String, String> kindByJob = new ConcurrentHashMap<>();
        List<List<Long>> rss = new ArrayList<>(List.of(new ArrayList<>())); // samples per process
        int restarts = 0;
        ServiceUnderTest service = ServiceUnderTest.start("soak", "512m", settings);
        try {
            for (int i = 0; i < JOBS; i += BATCH) {
                List<String> urls = new ArrayList<>();
                for (int j = i; j < i + BATCH; j++) {
                    urls.add(sourceBase + KINDS[j % KINDS.length] + "/" + j + ".mp4");
                }
                JsonNode reply = service.call("UploadMediaByURL", Map.of("UploadURLs", String.join(",", urls.stream()
                        .map(u -> URLEncoder.encode(u, StandardCharsets.UTF_8)).toList()),
                        "UserData", "{\"MessageCallback\":{\"CallbackURL\":\"" + callback + "\"}}"));
                for (JsonNode job : reply.path("UploadJobs")) {
                    String path = URI.create(job.path("SourceURL").asText()).getPath();
                    kindByJob.put(job.path("JobId").asText(), path.substring(1, path.indexOf('/', 1)));
                }
            }
            // two crashes while the jobs run, at a third and at two thirds of the events
            for (int third = 1; third <= 2; third++) {
                int target = JOBS * third / 3;
                while (webhookIdsByJob.size() < target) {
                    rss.get(rss.size() - 1).add(rssBytes(service));
                    Thread.sleep(500);
                }
                service.process.destroyForcibly().waitFor();
                restarts++;
                service = ServiceUnderTest.start("soak", "512m", settings);
                rss.add(new ArrayList<>());
            }
            long deadline = System.nanoTime() + 15L * 60 * 1_000_000_000;
            while (webhookIdsByJob.size() < JOBS && System.nanoTime() < deadline) {
                rss.get(rss.size() - 1).add(rssBytes(service));
                Thread.sleep(500);
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            // the accounts
            Map<String, Object> out = new LinkedHashMap<>();
            Map<String, Integer> wrongEnd = new TreeMap<>();
            int success = 0;
            List<String> ids = new ArrayList<>(kindByJob.keySet());
            for (int i = 0; i < ids.size(); i += 10) {
                JsonNode infos = service.call("GetUrlUploadInfos", Map.of("JobIds",
                        String.join(",", ids.subList(i, Math.min(ids.size(), i + 10))))).path("URLUploadInfoList");
                for (JsonNode info : infos) {
                    String kind = kindByJob.get(info.path("JobId").asText());
                    String expected = kind.equals("missing") ? "FAIL SourceNotFound" : "SUCCESS";
                    String actual = info.path("Status").asText()
                            + (info.path("Status").asText().equals("FAIL") ? " " + info.path("ErrorCode").asText() : "");
                    if (!actual.equals(expected)) {
                        wrongEnd.merge(kind + " -> " + actual, 1, Integer::sum);
                    }
                    if (actual.equals("SUCCESS")) {
                        success++;
                    }
                }
            }
            long mediaCount = service.call("ListMediaBasicInfos", Map.of("MaxResults", "1")).path("TotalCount").asLong();
            long eventsOnce = webhookIdsByJob.values().stream().filter(s -> s.size() == 1).count();
            long tempFiles = countFiles(WORK.resolve("soak").resolve("tmp"));
            List<String> keys = objectKeys(service);
            out.put("jobs", JOBS);
            out.put("mix", String.join(",", KINDS));
            out.put("seconds", Math.round(seconds * 10) / 10.0);
            out.put("jobsPerSecond", Math.round(JOBS / seconds * 10) / 10.0);
            out.put("restartsSurvived", restarts);
            out.put("sourceRequests", requests.values().stream().mapToInt(AtomicInteger::get).sum());
            out.put("successJobs", success);
            out.put("mediaCount", mediaCount);
            out.put("jobsNotInTheirEndState", wrongEnd);
            out.put("jobsCalledBack", webhookIdsByJob.size());
            out.put("jobsCalledBackUnderOneWebhookId", eventsOnce);
            out.put("deliveries", deliveries.get());
            out.put("temporaryFilesLeft", tempFiles);
            out.put("storeObjects", keys.size());
            out.put("strayStoreObjects", keys.stream().filter(k -> !k.startsWith("media/")).toList());
            // each process: its RSS 10 s after it started (sampled every 0.5 s), at its end, and its most
            List<String> rssMiB = new ArrayList<>();
            for (List<Long> samples : rss) {
                if (!samples.isEmpty()) {
                    rssMiB.add((samples.get(Math.min(samples.size() - 1, 20)) >> 20) + " -> "
                            + (samples.get(samples.size() - 1) >> 20) + " (max "
                            + (samples.stream().mapToLong(Long::longValue).max().orElse(0) >> 20) + ")");
                }
            }
            out.put("rssMiBPerProcess", rssMiB);
            boolean accounted = wrongEnd.isEmpty() && mediaCount == success && webhookIdsByJob.size() == JOBS
                    && eventsOnce == JOBS && tempFiles == 0 && keys.size() == success;
            out.put("everythingAccountedFor", accounted);
            return out;
        } finally {
            service.close();
            sources.stop(0);
            receiver.stop(0);
        }
    }

    /** good: the file; cut: half of it, then the connection drops (first request); flaky: 503 first;
     *  stall: a little, then silence past the read timeout (first request); missing: 404; slow: 40 KB/s. */
    private static void serve(HttpExchange exchange, byte[] media, Map<String, AtomicInteger> requests) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String kind = path.substring(1, Math.max(1, path.indexOf('/', 1)));
        int nth = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            switch (kind) {
                case "missing" -> exchange.sendResponseHeaders(404, -1);
                case "flaky" -> {
                    if (nth == 1) {
                        exchange.sendResponseHeaders(503, -1);
                        return;
                    }
                    exchange.sendResponseHeaders(200, media.length);
                    out.write(media);
                }
                case "cut", "stall" -> {
                    exchange.sendResponseHeaders(200, media.length);
                    if (nth > 1) {
                        out.write(media);
                        return;
                    }
                    out.write(media, 0, media.length / 2);
                    out.flush();
                    if (kind.equals("stall")) {
                        Thread.sleep(5_000); // past the service's 2 s read timeout
                    }
                    // the body ends short: the connection closes before Content-Length is reached
                }
                case "slow" -> {
                    exchange.sendResponseHeaders(200, media.length);
                    for (int off = 0; off < media.length; off += 4096) {
                        out.write(media, off, Math.min(4096, media.length - off));
                        out.flush();
                        Thread.sleep(100);
                    }
                }
                default -> {
                    exchange.sendResponseHeaders(200, media.length);
                    out.write(media);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientGone) {
            // the service hung up (a timeout, or it was killed)
        }
    }

    private static long rssBytes(ServiceUnderTest service) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + service.process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
        return 0;
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static List<String> objectKeys(ServiceUnderTest service) {
        List<String> keys = new ArrayList<>();
        service.sdk().listObjectsV2Paginator(b -> b.bucket("vod")).contents().forEach(o -> {
            if (!o.key().endsWith("/")) {
                keys.add(o.key());
            }
        });
        return keys;
    }

    /** Writes bench/results/soak-DATE.json. */
    static Path save(Map<String, Object> results) throws IOException {
        Path file = Path.of("bench/results/soak-" + LocalDate.now() + ".json");
        Files.writeString(file, JSON.writeValueAsString(results) + "\n");
        return file;
    }
}
