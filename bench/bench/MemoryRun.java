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

/** Peak resident memory of the service for a 100 MB and a 2 GB file (a flat profile is the target). */
final class MemoryRun {

    private MemoryRun() {
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
        try (ServiceUnderTest service = ServiceUnderTest.start(name, "256m", "-Xms256m", "-XX:+AlwaysPreTouch")) {
            ingest(service, base + "small.ts?warm-up", name);
            Files.writeString(Path.of("/proc/" + service.process.pid() + "/clear_refs"), "5");
            ingest(service, base + file, name);
            return service.peakRssBytes();
        }
    }

    static void ingest(ServiceUnderTest service, String url, String name) throws Exception {
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

}
