package bench;

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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import static bench.ApiLoad.*;
import static bench.Chart.*;
import static bench.Contenders.*;
import static bench.MemoryRun.*;
import static bench.Shell.*;
import static bench.SourceFiles.*;

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
        if (mode.equals("small")) { // many small files: ours against a boto3 thread-pool script
            System.out.println(SmallFiles.run(media, rounds));
            System.exit(0);
        }
        if (mode.equals("soak")) { // 5,000 jobs over faulty sources, two SIGKILLs: bench/results/soak-DATE.json
            Map<String, Object> soak = Soak.run();
            System.out.println(JSON.writeValueAsString(soak));
            System.out.println("written: " + Soak.save(soak));
            System.exit(Boolean.TRUE.equals(soak.get("everythingAccountedFor")) ? 0 : 1);
        }
        if (mode.equals("scale")) { // 1,000,000 jobs and media: query and submit latencies on H2 and PostgreSQL
            Map<String, Object> scale = Scale.run();
            System.out.println(JSON.writeValueAsString(scale));
            System.out.println("written: " + Scale.save(scale));
            System.exit(0);
        }
        if (mode.equals("cluster")) { // 24 rate-limited files: 1 node, then 3 nodes on Artemis: bench/results/cluster-DATE.json
            Map<String, Object> cluster = Cluster.run(rounds);
            System.out.println(JSON.writeValueAsString(cluster));
            System.out.println("written: " + Cluster.save(cluster));
            System.exit(0);
        }
        if (mode.equals("backlog")) { // one host's 2,000 waiting jobs on a cluster node: PostgreSQL transactions a second
            Backlog.run();
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
        try (ServiceUnderTest service = ServiceUnderTest.start("throughput", "1g")) {
            S3Client sdk = service.sdk();
            Map<String, Contender> contenders = new LinkedHashMap<>();
            contenders.put("ours", round -> timeOurs(service, base, round));
            contenders.put("awscli pipe", round -> timeAwscliPipe(service, base, round));
            contenders.put("SDK PUT", round -> timeSdk(sdk, media, round, false));
            contenders.put("SDK multipart", round -> timeSdk(sdk, media, round, true));
            // not a contender: the store's own ceiling, PUTs from local files that hash no payload
            S3Presigner presigner = service.presigner();
            contenders.put("store ceiling", round -> timeStoreCeiling(presigner, media, round));
            String only = System.getenv("BENCH_ONLY"); // e.g. "ours", to profile one contender
            if (only != null && !only.isBlank()) {
                contenders.keySet().retainAll(List.of(only.split(",")));
            }
            // unmeasured rounds of each first, until the JIT of the JVM that does its work has
            // settled (WarmUp): ours in the service's, the SDK's and the ceiling's client in this
            // bench's own (the store's side of theirs is the service's S3Proxy, warm by then);
            // awscli is Python, a new process each time: its rounds watch this bench's JVM (the
            // source server), which settles within a round or two
            Map<String, Object> warmUp = new LinkedHashMap<>();
            for (var contender : contenders.entrySet()) {
                long jvm = contender.getKey().equals("ours") ? service.process.pid() : ProcessHandle.current().pid();
                warmUp.put(contender.getKey(), WarmUp.untilSettled(jvm, contender.getValue(), 1, 15, contender.getKey(),
                        Contenders::settle));
            }
            results.put("warmUp", warmUp);
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
        results.put("smallFiles", SmallFiles.run(media, rounds));

        Path out = Path.of("bench/results/" + LocalDate.now() + ".json");
        Files.writeString(out, JSON.writeValueAsString(results));
        chart(results, Path.of("bench/results/" + LocalDate.now() + ".png"));
        printTable(results);
        deleteTree(WORK);
        System.exit(0); // the HTTP clients' threads would keep the JVM alive
    }

}
