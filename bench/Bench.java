import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mediaurlingest.store.StorageLocation;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The benchmark behind bench/run.sh (run it from there). Everything it talks to is on 127.0.0.1:
 * a file server for the generated media, the service (a separate JVM, as operators run it), and
 * the service's embedded S3 store, which all three contenders write to.
 */
public class Bench {

    static final Path WORK = Path.of("bench/work");
    static final int FILES = 8;
    static final int PARALLEL = 4;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args.length > 0 ? args[0] : "2");
        String mode = args.length > 1 ? args[1] : "full"; // quick: throughput only; api, rss: that alone; none writes results
        if (mode.equals("chart")) { // draws the chart of today's results file again
            Path json = Path.of("bench/results/" + LocalDate.now() + ".json");
            @SuppressWarnings("unchecked")
            Map<String, Object> saved = JSON.readValue(json.toFile(), Map.class);
            chart(saved, Path.of(json.toString().replace(".json", ".png")));
            return;
        }
        boolean quick = mode.equals("quick");
        deleteTree(WORK);
        Path media = Files.createDirectories(WORK.resolve("media"));
        if (mode.equals("api")) {
            try (FileServer files = serve(media)) {
                System.out.println(apiLoad("http://127.0.0.1:" + files.port() + "/"));
            }
            System.exit(0);
        }
        if (mode.equals("rss")) { // the memory measure alone, twice
            Path small = makeClip(media.resolve("small.ts"), 100L << 20);
            concat(small, media.resolve("big.ts"), 20);
            try (FileServer files = serve(media)) {
                String base = "http://127.0.0.1:" + files.port() + "/";
                System.out.println(memory(base));
            }
            System.exit(0);
        }
        Path clip = makeClip(media.resolve("clip.ts"), 128L << 20);
        for (int i = 0; i < FILES; i++) {
            Files.createLink(media.resolve("f" + i + ".ts"), clip);
        }
        Path small = makeClip(media.resolve("small.ts"), 100L << 20);
        Path big = concat(small, media.resolve("big.ts"), 20); // 2 GB of the same valid MPEG-TS
        long fileSize = Files.size(clip);
        FileServer files = serve(media);
        String base = "http://127.0.0.1:" + files.port() + "/";

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("date", LocalDate.now().toString());
        results.put("machine", machine());
        results.put("files", FILES);
        results.put("fileBytes", fileSize);
        results.put("parallel", PARALLEL);
        results.put("awscli", run(List.of("aws", "--version")).trim());

        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, List<Double>> cpuSeconds = new LinkedHashMap<>();
        long throughputRss;
        try (Service service = Service.start("throughput", "1g")) {
            S3Client sdk = service.sdk();
            Map<String, Contender> contenders = new LinkedHashMap<>();
            contenders.put("ours", round -> timeOurs(service, base, round));
            contenders.put("awscli pipe", round -> timeAwscliPipe(service, base, round));
            contenders.put("SDK PUT", round -> timeSdk(sdk, media, round, false));
            contenders.put("SDK multipart", round -> timeSdk(sdk, media, round, true));
            // not a contender: the store's own ceiling, PUTs from local files with the service's client settings
            contenders.put("store ceiling", round -> timeSdk(service.storeClient(), media, round, false));
            String only = System.getenv("BENCH_ONLY"); // e.g. "ours", to profile one contender
            if (only != null && !only.isBlank()) {
                contenders.keySet().retainAll(List.of(only.split(",")));
            }
            for (int round = 1; round <= rounds; round++) {
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (var contender : contenders.entrySet()) {
                    Cpu before = Cpu.now(service);
                    double seconds = contender.getValue().run(round);
                    Cpu used = Cpu.now(service).minus(before);
                    times.computeIfAbsent(contender.getKey(), k -> new ArrayList<>()).add(seconds);
                    cpuSeconds.computeIfAbsent(contender.getKey(), k -> new ArrayList<>()).add(used.total());
                    line.append(String.format(" %s %.1f s (cpu %s);", contender.getKey(), seconds, used));
                    settle();
                }
                System.out.println(line);
            }
            throughputRss = service.peakRssBytes();
        }
        double mb = FILES * fileSize / 1e6;
        double bestOurs = best(times, "ours");
        double bestAws = best(times, "awscli pipe");
        // direct upload with the AWS SDK: the faster of its two ways to upload a file
        double bestSdk = Math.min(best(times, "SDK PUT"), best(times, "SDK multipart"));
        results.put("seconds", times);
        results.put("cpuSeconds", cpuSeconds);
        results.put("oursMBps", mb / bestOurs);
        results.put("awscliPipeMBps", mb / bestAws);
        results.put("sdkPutMBps", mb / best(times, "SDK PUT"));
        results.put("sdkMultipartMBps", mb / best(times, "SDK multipart"));
        results.put("storeCeilingMBps", mb / best(times, "store ceiling"));
        results.put("oursOverAwscliWallTime", bestOurs / bestAws);
        results.put("oursShareOfSdkRate", bestSdk / bestOurs);
        results.put("oursShareOfStoreCeiling", best(times, "store ceiling") / bestOurs);
        results.put("peakRssThroughputRunBytes", throughputRss);

        if (quick) {
            System.out.printf("best: ours %.1f s, awscli %.1f s, SDK %.1f s; ours/awscli %.2f, ours/SDK rate %.0f%%%n", bestOurs,
                    bestAws, bestSdk, bestOurs / bestAws, 100 * bestSdk / bestOurs);
            files.close();
            System.exit(0); // the HTTP clients' threads would keep the JVM alive
        }
        results.putAll(memory(base));

        results.putAll(apiLoad(base));
        files.close();

        Path out = Path.of("bench/results/" + LocalDate.now() + ".json");
        Files.writeString(out, JSON.writeValueAsString(results));
        chart(results, Path.of("bench/results/" + LocalDate.now() + ".png"));
        printTable(results);
        deleteTree(WORK);
    }

    // ------------------------------------------------------------------ contenders

    static double best(Map<String, List<Double>> times, String contender) {
        return Collections.min(times.getOrDefault(contender, List.of(Double.NaN)));
    }

    interface Contender {
        double run(int round) throws Exception;
    }

    /**
     * Between two contenders: what the last one wrote is flushed to disk (so the next does not
     * pay for its write-back) and removed from the store (so the disk does not fill up).
     */
    static void settle() throws Exception {
        run(List.of("sync"));
        Path bucket = WORK.resolve("throughput/store/vod");
        for (String folder : List.of("media", "awscli", "sdk")) {
            deleteTree(bucket.resolve(folder));
        }
    }

    static double timeOurs(Service service, String base, int round) throws Exception {
        String urls = java.util.stream.IntStream.range(0, FILES)
                .mapToObj(i -> URLEncoder.encode(base + "f" + i + ".ts?r=" + round, StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
        long start = System.nanoTime();
        JsonNode reply = service.call("UploadMediaByURL", Map.of("UploadURLs", urls));
        List<String> jobIds = new ArrayList<>();
        reply.path("UploadJobs").forEach(j -> jobIds.add(j.path("JobId").asText()));
        while (true) {
            JsonNode infos = service.call("GetUrlUploadInfos", Map.of("JobIds", String.join(",", jobIds))).path("URLUploadInfoList");
            long done = 0;
            for (JsonNode info : infos) {
                String status = info.path("Status").asText();
                if (status.equals("FAIL")) {
                    throw new IllegalStateException("job failed: " + info);
                }
                done += status.equals("SUCCESS") ? 1 : 0;
            }
            if (done == FILES) {
                return (System.nanoTime() - start) / 1e9;
            }
            Thread.sleep(100); // polling the API as a client would
        }
    }

    static double timeAwscliPipe(Service service, String base, int round) throws Exception {
        List<Callable<String>> commands = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            String command = "curl -sf '" + base + "f" + i + ".ts' | aws s3 cp - s3://vod/awscli/r" + round + "/f" + i
                    + ".ts --endpoint-url " + service.storeEndpoint() + " --only-show-errors";
            commands.add(() -> run(List.of("bash", "-o", "pipefail", "-c", command), Map.of(
                    "AWS_ACCESS_KEY_ID", "local-identity", "AWS_SECRET_ACCESS_KEY", "local-credential",
                    "AWS_DEFAULT_REGION", "us-east-1", "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                    "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")));
        }
        return timeParallel(commands);
    }

    /**
     * The AWS SDK as a user would set it up for this store (endpoint, path style, checksums only
     * when required): one PutObject per file, or the file in 16 MiB parts one after another.
     */
    static double timeSdk(S3Client s3, Path media, int round, boolean multipart) throws Exception {
        List<Callable<String>> uploads = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path file = media.resolve("f" + i + ".ts");
            String key = "sdk/r" + round + (multipart ? "/mp-f" : "/put-f") + i + ".ts";
            uploads.add(() -> {
                if (multipart) {
                    uploadInParts(s3, key, file);
                } else {
                    s3.putObject(b -> b.bucket("vod").key(key).contentType("video/mp2t"), RequestBody.fromFile(file));
                }
                return key;
            });
        }
        return timeParallel(uploads);
    }

    static void uploadInParts(S3Client s3, String key, Path file) throws IOException {
        long size = Files.size(file);
        long partSize = 16L << 20;
        String uploadId = s3.createMultipartUpload(b -> b.bucket("vod").key(key).contentType("video/mp2t")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file)) {
            for (int n = 1; (n - 1) * partSize < size; n++) {
                long offset = (n - 1) * partSize;
                long length = Math.min(partSize, size - offset);
                int number = n;
                String eTag = s3.uploadPart(b -> b.bucket("vod").key(key).uploadId(uploadId).partNumber(number),
                        RequestBody.fromContentProvider(() -> Channels.newInputStream(positioned(channel, offset)), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            }
        }
        s3.completeMultipartUpload(b -> b.bucket("vod").key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    /** A read-only view of the file from offset (each part reads its own range). */
    static java.nio.channels.ReadableByteChannel positioned(FileChannel channel, long offset) {
        return new java.nio.channels.ReadableByteChannel() {
            long position = offset;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                int n = channel.read(dst, position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    static double timeParallel(List<Callable<String>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        long start = System.nanoTime();
        try {
            for (Future<String> f : pool.invokeAll(tasks)) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * CPU seconds spent so far by the service's process, by this process (file server, SDK
     * uploads) and by the commands it ran and waited for (curl, aws): the machine's work behind a wall time.
     */
    record Cpu(double service, double bench, double children) {
        static Cpu now(Service service) throws IOException {
            String[] self = statFields("self");
            String[] svc = statFields(String.valueOf(service.process.pid()));
            return new Cpu(ticks(svc, 13) + ticks(svc, 14), ticks(self, 13) + ticks(self, 14),
                    ticks(self, 15) + ticks(self, 16));
        }

        Cpu minus(Cpu earlier) {
            return new Cpu(service - earlier.service, bench - earlier.bench, children - earlier.children);
        }

        double total() {
            return service + bench + children;
        }

        @Override
        public String toString() {
            return String.format("%.1f s: service %.1f, bench %.1f, commands %.1f", total(), service, bench, children);
        }

        /** Fields of /proc/PID/stat after the command name (which may hold spaces), numbered as in proc(5) from 0. */
        private static String[] statFields(String pid) throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String[] fields = new String[rest.length + 2];
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        }

        private static double ticks(String[] fields, int index) {
            return Long.parseLong(fields[index]) / 100.0; // USER_HZ
        }
    }

    // ------------------------------------------------------------------ memory and API

    static final int MEMORY_RUNS = 3;

    /**
     * Peak RSS (VmHWM) of a service ingesting one 100 MB or one 2 GB file, three times each,
     * alternating; the medians are compared. The heap is fixed at 256 MiB and touched at start
     * (its size would otherwise vary with the collector's choices from run to run): a service
     * whose heap use grew with the file would fail on the 2 GB file, one whose native memory
     * grew would show it.
     */
    static Map<String, Object> memory(String base) throws Exception {
        List<Long> small = new ArrayList<>();
        List<Long> big = new ArrayList<>();
        for (int i = 0; i < MEMORY_RUNS; i++) {
            small.add(peakRssFor(base, "small.ts", "rss-100MB"));
            big.add(peakRssFor(base, "big.ts", "rss-2GB"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("peakRss100MBRunsBytes", small);
        out.put("peakRss2GBRunsBytes", big);
        long medianSmall = median(small);
        long medianBig = median(big);
        out.put("peakRss100MBBytes", medianSmall);
        out.put("peakRss2GBBytes", medianBig);
        out.put("peakRssGrowth", (double) medianBig / medianSmall - 1);
        return out;
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Peak RSS of a fresh service while it ingests one file, after it has warmed up on the
     * 100 MB file once: the high-water mark is reset (/proc/PID/clear_refs) between the two, so
     * what is measured is the memory the ingest needs, not the JIT and pools of a first run.
     */
    static long peakRssFor(String base, String file, String name) throws Exception {
        // the whole heap is resident from the start, so what could grow is the rest: buffers, threads
        try (Service service = Service.start(name, "256m", "-Xms256m", "-XX:+AlwaysPreTouch")) {
            ingest(service, base + "small.ts?warm-up", name);
            Files.writeString(Path.of("/proc/" + service.process.pid() + "/clear_refs"), "5");
            ingest(service, base + file, name);
            return service.peakRssBytes();
        }
    }

    static void ingest(Service service, String url, String name) throws Exception {
        JsonNode reply = service.call("UploadMediaByURL", Map.of("UploadURLs", URLEncoder.encode(url, StandardCharsets.UTF_8)));
        String jobId = reply.path("UploadJobs").get(0).path("JobId").asText();
        while (true) {
            JsonNode info = service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).path("URLUploadInfoList").get(0);
            if (info.path("Status").asText().equals("SUCCESS")) {
                return;
            }
            if (info.path("Status").asText().equals("FAIL")) {
                throw new IllegalStateException(name + " failed: " + info);
            }
            Thread.sleep(200); // polling the API as a client would
        }
    }

    static final int API_CLIENTS = 32;
    static final int API_RATE = 300; // batches per second, all clients together

    /**
     * UploadMediaByURL with 20 URLs per batch from 32 clients: first at a steady 300 batches per
     * second (latency counted from when each request was due, so a slow answer cannot hide the
     * ones queued behind it), then as fast as the clients can go (the most the API takes). The
     * URLs lead to a source that answers slowly, as real downloads do: the workers wait on the
     * network, the jobs queue up, and the API is measured, not 404 handling.
     */
    static Map<String, Object> apiLoad(String base) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Service service = Service.start("api", "1g")) {
            String urls = java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> URLEncoder.encode(base + "hold/" + i + ".mp4", StandardCharsets.UTF_8))
                    .collect(Collectors.joining(","));
            URI uri = URI.create(service.api + "?Action=UploadMediaByURL&UploadURLs=" + URLEncoder.encode(urls, StandardCharsets.UTF_8));
            runLoad(uri, API_CLIENTS, 0, 3_000); // warm-up
            List<Long> steady = runLoad(uri, API_CLIENTS, API_RATE, 10_000);
            List<Long> flatOut = runLoad(uri, API_CLIENTS, 0, 10_000);
            out.put("apiClients", API_CLIENTS);
            out.put("apiSteadyBatchesPerSecond", steady.size() / 10.0);
            out.put("apiSteadyP50Millis", percentile(steady, 0.50));
            out.put("apiSteadyP99Millis", percentile(steady, 0.99));
            out.put("apiMaxBatchesPerSecond", flatOut.size() / 10.0);
            out.put("apiMaxP50Millis", percentile(flatOut, 0.50));
            out.put("apiMaxP99Millis", percentile(flatOut, 0.99));
        }
        return out;
    }

    static double percentile(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p))) / 1e6;
    }

    /**
     * Clients sending the request over and over for the given time: back to back when rate is
     * 0, else each on its own schedule so that all together send rate per second.
     * @return the latency of every answered request, in nanoseconds
     */
    static List<Long> runLoad(URI uri, int clients, int rate, long millis) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        long interval = rate == 0 ? 0 : clients * 1_000_000_000L / rate; // each client's period
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long first = start + (interval * c) / clients; // spread evenly
            workers.add(pool.submit(() -> {
                long due = first;
                while (true) {
                    long now = System.nanoTime();
                    if (rate > 0 && due > now) {
                        Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000)); // the client's pace
                    }
                    long sent = rate > 0 ? due : System.nanoTime();
                    if (sent >= end) {
                        return null;
                    }
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + r.statusCode() + " " + r.body());
                    }
                    latencies.add(System.nanoTime() - sent);
                    due += interval;
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdownNow();
        return latencies;
    }

    // ------------------------------------------------------------------ the service under test

    static final class Service implements AutoCloseable {
        final Process process;
        final String api;
        final int storePort;

        Service(Process process, String api, int storePort) {
            this.process = process;
            this.api = api;
            this.storePort = storePort;
        }

        static Service start(String name, String heap, String... extra) throws Exception {
            int apiPort = freePort();
            int storePort = freePort();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + heap, "-Dcamel.server.port=" + apiPort, "-Dingest.store.embedded.port=" + storePort,
                    "-Dingest.data-dir=" + WORK.resolve(name), "-Dingest.fetch.allow-private-networks=true"));
            command.addAll(List.of(extra));
            String opts = System.getenv("BENCH_SERVICE_OPTS"); // e.g. -Dingest.store.part-size=64MB, to try settings
            if (opts != null && !opts.isBlank()) {
                command.addAll(List.of(opts.trim().split("\\s+")));
            }
            command.addAll(List.of("-jar", "target/media-url-ingest.jar"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(WORK.resolve(name + ".log").toFile()).start();
            Service service = new Service(process, "http://127.0.0.1:" + apiPort + "/", storePort);
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                try {
                    service.call("GetUrlUploadInfos", Map.of("JobIds", "warmup"));
                    return service;
                } catch (IOException notYet) {
                    if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("service " + name + " did not start; see " + WORK.resolve(name + ".log"));
                    }
                    Thread.sleep(200);
                }
            }
        }

        String storeEndpoint() {
            return "http://127.0.0.1:" + storePort;
        }

        /** The service's own client for its store (unsigned payloads on loopback, among others). */
        S3Client storeClient() {
            return new StorageLocation("bench", URI.create(storeEndpoint()), "us-east-1", "local-identity",
                    "local-credential", "vod").s3();
        }

        /** A plain SDK client for the embedded store: none of the service's own settings. */
        S3Client sdk() {
            return S3Client.builder().endpointOverride(URI.create(storeEndpoint())).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local-identity",
                            "local-credential")))
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .build();
        }

        JsonNode call(String action, Map<String, String> parameters) throws IOException, InterruptedException {
            StringBuilder query = new StringBuilder("Action=" + action);
            parameters.forEach((k, v) -> query.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "?" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }

        /** VmHWM: the most resident memory the service's process has had. */
        long peakRssBytes() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmHWM");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    // ------------------------------------------------------------------ media, files, output

    /** A real MPEG-TS video (ffmpeg, high bitrate) of at least the given size. */
    static Path makeClip(Path file, long atLeast) throws Exception {
        long seconds = Math.max(2, atLeast * 8 / 60_000_000 + 2);
        run(List.of("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t",
                String.valueOf(seconds), "-c:v", "mpeg2video", "-b:v", "60M", "-minrate", "60M", "-maxrate", "60M",
                "-bufsize", "30M", "-f", "mpegts", file.toString()));
        if (Files.size(file) < atLeast) {
            throw new IllegalStateException(file + " is only " + Files.size(file) + " bytes");
        }
        return file;
    }

    static Path concat(Path part, Path out, int times) throws IOException {
        try (OutputStream o = Files.newOutputStream(out)) {
            for (int i = 0; i < times; i++) {
                Files.copy(part, o);
            }
        }
        return out;
    }

    /**
     * The media source: a small HTTP/1.1 file server that sends each file with sendfile(2)
     * (FileChannel.transferTo), as nginx or a CDN edge would. The source is another machine in
     * real life; here it shares the 2 cores, so it should take as little of them as it can.
     */
    static FileServer serve(Path dir) throws IOException {
        return new FileServer(dir);
    }

    static final class FileServer implements AutoCloseable {
        final ServerSocketChannel server;
        final ExecutorService connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "file-server");
            t.setDaemon(true);
            return t;
        });

        FileServer(Path dir) throws IOException {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0), 256);
            connections.submit(() -> {
                while (server.isOpen()) {
                    SocketChannel socket = server.accept();
                    connections.submit(() -> answer(dir, socket));
                }
                return null;
            });
        }

        int port() throws IOException {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        }

        /** One request per connection: GET /name, answered 200 with the file or 404. */
        private static Void answer(Path dir, SocketChannel socket) throws IOException, InterruptedException {
            try (socket) {
                ByteBuffer head = ByteBuffer.allocate(16 * 1024);
                String request = "";
                while (!request.contains("\r\n\r\n") && head.hasRemaining() && socket.read(head) >= 0) {
                    request = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
                }
                String target = request.split(" ", 3).length > 1 ? request.split(" ", 3)[1] : "/";
                String name = URI.create(target).getPath().substring(1);
                if (name.startsWith("hold/")) {
                    Thread.sleep(60_000); // a download that has not started yet; the service gives up first
                    return null;
                }
                Path file = dir.resolve(name).normalize();
                if (name.isEmpty() || !file.startsWith(dir) || !Files.isRegularFile(file)) {
                    socket.write(StandardCharsets.ISO_8859_1.encode(
                            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                    return null;
                }
                try (FileChannel channel = FileChannel.open(file)) {
                    long size = channel.size();
                    socket.write(StandardCharsets.ISO_8859_1.encode("HTTP/1.1 200 OK\r\nContent-Type: video/mp2t\r\n"
                            + "Content-Length: " + size + "\r\nConnection: close\r\n\r\n"));
                    for (long sent = 0; sent < size; ) {
                        sent += channel.transferTo(sent, size - sent, socket);
                    }
                }
            } catch (IOException clientGone) {
                // a contender hung up
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            server.close();
            connections.shutdownNow();
        }
    }

    static String run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    static String run(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    static String machine() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap of the bench JVM, Java "
                + System.getProperty("java.version");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }


    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static void printTable(Map<String, Object> r) {
        System.out.println();
        System.out.printf("| measure | result | target |%n|---|---|---|%n");
        System.out.printf("| ours (UploadMediaByURL), 8 x %d MiB, 4 at a time | %.0f MB/s | |%n", ((Number) r.get("fileBytes")).longValue() >> 20,
                (Double) r.get("oursMBps"));
        System.out.printf("| `curl URL \\| aws s3 cp -` | %.0f MB/s | |%n", (Double) r.get("awscliPipeMBps"));
        System.out.printf("| AWS SDK, PutObject from the file | %.0f MB/s | |%n", (Double) r.get("sdkPutMBps"));
        System.out.printf("| AWS SDK, 16 MiB parts from the file | %.0f MB/s | |%n", (Double) r.get("sdkMultipartMBps"));
        System.out.printf("| store ceiling (PutObject from the file, the service's client) | %.0f MB/s | |%n",
                (Double) r.get("storeCeilingMBps"));
        System.out.printf("| ours / awscli pipe, wall time | %.2f | <= 0.8 |%n", (Double) r.get("oursOverAwscliWallTime"));
        System.out.printf("| ours / AWS SDK (the faster way), rate | %.0f%% | >= 85%% |%n", 100 * (Double) r.get("oursShareOfSdkRate"));
        System.out.printf("| ours / store ceiling, rate | %.0f%% | |%n", 100 * (Double) r.get("oursShareOfStoreCeiling"));
        System.out.printf("| peak RSS, 100 MB file | %d MiB | |%n", ((Number) r.get("peakRss100MBBytes")).longValue() >> 20);
        System.out.printf("| peak RSS, 2 GB file | %d MiB (%+.0f%%) | within 10%% |%n", ((Number) r.get("peakRss2GBBytes")).longValue() >> 20,
                100 * (Double) r.get("peakRssGrowth"));
        System.out.printf("| API, 20-URL batches at a steady %d/s from 32 clients: p50 / p99 | %.1f / %.1f ms | p99 <= 50 ms |%n",
                API_RATE, (Double) r.get("apiSteadyP50Millis"), (Double) r.get("apiSteadyP99Millis"));
        System.out.printf("| API, 20-URL batches per second, 32 clients flat out (p99) | %.0f (%.0f ms) | >= 300 |%n",
                (Double) r.get("apiMaxBatchesPerSecond"), (Double) r.get("apiMaxP99Millis"));
    }

    /** A small bar chart of the throughput and the memory figures. */
    static void chart(Map<String, Object> r, Path png) throws IOException {
        String[] labels = {"ours", "awscli pipe", "SDK PUT", "SDK parts", "store ceiling"};
        double[] values = {(Double) r.get("oursMBps"), (Double) r.get("awscliPipeMBps"), (Double) r.get("sdkPutMBps"),
                (Double) r.get("sdkMultipartMBps"), (Double) r.get("storeCeilingMBps")};
        BufferedImage image = new BufferedImage(720, 390, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 720, 390);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Ingest throughput, 8 x " + (((Number) r.get("fileBytes")).longValue() >> 20) + " MiB, 4 at a time (MB/s)", 20, 30);
        double max = 0;
        for (double v : values) {
            max = Math.max(max, v);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        Color[] colors = {new Color(0x2E7D32), new Color(0x9E9E9E), new Color(0x1565C0), new Color(0x64B5F6),
                new Color(0xBDBDBD)};
        for (int i = 0; i < values.length; i++) {
            int height = (int) (240 * values[i] / max);
            int x = 40 + i * 135;
            g.setColor(colors[i]);
            g.fillRect(x, 310 - height, 100, height);
            g.setColor(Color.BLACK);
            g.drawString(labels[i], x, 330);
            g.drawString(String.format("%.0f", values[i]), x + 30, 300 - height);
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(20, 310, 700, 310);
        g.drawString(String.format("peak RSS: %d MiB (100 MB file), %d MiB (2 GB file)",
                ((Number) r.get("peakRss100MBBytes")).longValue() >> 20, ((Number) r.get("peakRss2GBBytes")).longValue() >> 20), 20, 352);
        g.drawString(String.format("API, 20-URL batches: p99 %.1f ms at %d/s; %.0f batches/s flat out",
                (Double) r.get("apiSteadyP99Millis"), API_RATE, (Double) r.get("apiMaxBatchesPerSecond")), 20, 372);
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }
}
