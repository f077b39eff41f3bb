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

import static bench.ApiLoad.API_RATE;
import static bench.Bench.*;
import static bench.Shell.*;

/** The results as a table on stdout and a PNG chart. */
final class Chart {

    private Chart() {
    }

    static void printTable(Map<String, Object> r) {
        System.out.println();
        System.out.printf("| measure | result | target |%n|---|---|---|%n");
        System.out.printf("| ours (UploadMediaByURL), 8 x %d MiB, 4 at a time | %.0f MB/s | |%n", ((Number) r.get("fileBytes")).longValue() >> 20,
                (Double) r.get("oursMBps"));
        System.out.printf("| `curl URL \\| aws s3 cp -` | %.0f MB/s | |%n", (Double) r.get("awscliPipeMBps"));
        System.out.printf("| AWS SDK, PutObject from the file | %.0f MB/s | |%n", (Double) r.get("sdkPutMBps"));
        System.out.printf("| AWS SDK, 16 MiB parts from the file | %.0f MB/s | |%n", (Double) r.get("sdkMultipartMBps"));
        System.out.printf("| store ceiling (PUT from the file through a presigned URL) | %.0f MB/s | |%n",
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
        @SuppressWarnings("unchecked")
        Map<String, Object> small = (Map<String, Object>) r.get("smallFiles");
        if (small != null) {
            System.out.printf("| %d files of %d KB: ours / boto3 script, wall time | %.2f | <= 1.0 |%n",
                    ((Number) small.get("files")).intValue(), ((Number) small.get("fileBytes")).longValue() / 1000,
                    (Double) small.get("oursOverBoto3WallTime"));
        }
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
