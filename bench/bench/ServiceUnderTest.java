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
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import static bench.Bench.*;
import static bench.Shell.*;

/** The service under test: the built jar started as its own process. */
final class ServiceUnderTest implements AutoCloseable {
    final Process process;
    final String api;
    final int storePort;

    ServiceUnderTest(Process process, String api, int storePort) {
        this.process = process;
        this.api = api;
        this.storePort = storePort;
    }

    static ServiceUnderTest start(String name, String heap, String... extra) throws Exception {
        int apiPort = freePort();
        int storePort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dingest.api.port=" + apiPort, "-Dcamel.management.port=0", "-Dingest.store.embedded.port=" + storePort,
                "-Dingest.data-dir=" + WORK.resolve(name), "-Dingest.fetch.allow-private-networks=true"));
        command.addAll(List.of(extra));
        String opts = System.getenv("BENCH_SERVICE_OPTS"); // e.g. -Dingest.store.part-size=64MB, to try settings
        if (opts != null && !opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", "target/media-url-ingest.jar"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(WORK.resolve(name + ".log").toFile()).start();
        ServiceUnderTest service = new ServiceUnderTest(process, "http://127.0.0.1:" + apiPort + "/", storePort);
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

    /** Presigned PUT URLs for the embedded store: signed with UNSIGNED-PAYLOAD, so no body is hashed on the way. */
    S3Presigner presigner() {
        return S3Presigner.builder().endpointOverride(URI.create(storeEndpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local-identity",
                        "local-credential")))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
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
