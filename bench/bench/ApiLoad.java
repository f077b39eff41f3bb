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
import software.amazon.awssdk.services.s3.model.CompletedPart;

import static bench.Bench.*;
import static bench.Shell.*;

/** The API under load: a steady rate (latency from the due time) and flat out. */
final class ApiLoad {

    private ApiLoad() {
    }

    static final int API_CLIENTS = 32;
    static final int API_RATE = 300; // batches per second, all clients together

    /**
     * UploadMediaByURL with 20 URLs per batch from 32 clients: first at a steady 300 batches per
     * second (latency counted from when each request was due, so a slow answer cannot hide the
     * ones queued behind it), then as fast as the clients can go (the most the API takes). The
     * URLs lead to a source that answers slowly, as real downloads do: the workers wait on the
     * network, the jobs wait for their host, and the API is measured, not 404 handling.
     */
    static Map<String, Object> apiLoad(String base) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (ServiceUnderTest service = ServiceUnderTest.start("api", "1g")) {
            String urls = java.util.stream.IntStream.range(0, 20)
                    .mapToObj(i -> URLEncoder.encode(base + "hold/" + i + ".mp4", StandardCharsets.UTF_8))
                    .collect(Collectors.joining(","));
            URI uri = URI.create(service.api + "?Action=UploadMediaByURL&UploadURLs=" + URLEncoder.encode(urls, StandardCharsets.UTF_8));
            // each 5 s window adds 30,000 jobs, as a service that has been running has
            out.put("apiWarmUp", warmUp(service, uri, 1_000, 5_000, 12));
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

    /**
     * Unmeasured load before a measured one: flat out for a moment (connections, first calls),
     * then windows at the steady rate until the service's JIT has settled (WarmUp, at most maxWindows).
     */
    static Map<String, Object> warmUp(ServiceUnderTest service, URI uri, long flatOutMillis, long windowMillis,
            int maxWindows) throws Exception {
        runLoad(uri, API_CLIENTS, 0, flatOutMillis);
        return WarmUp.untilSettled(service.process.pid(), round -> {
            long start = System.nanoTime();
            runLoad(uri, API_CLIENTS, API_RATE, windowMillis);
            return (System.nanoTime() - start) / 1e9;
        }, 1, maxWindows, "submits at " + API_RATE + "/s");
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

}
