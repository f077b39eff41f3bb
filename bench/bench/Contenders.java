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

import static bench.Bench.*;
import static bench.Shell.*;

/** The contenders of the throughput run, timed alike; and the CPU each used. */
final class Contenders {

    private Contenders() {
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

    static double timeOurs(ServiceUnderTest service, String base, int round) throws Exception {
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

    static double timeAwscliPipe(ServiceUnderTest service, String base, int round) throws Exception {
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

    /**
     * The store's own ceiling (context, not a contender): each file PUT from local disk through a
     * presigned URL, so the store, not the client's payload hashing, sets the pace.
     */
    static double timeStoreCeiling(S3Presigner presigner, Path media, int round) throws Exception {
        List<Callable<String>> uploads = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path file = media.resolve("f" + i + ".ts");
            String key = "sdk/r" + round + "/ceiling-f" + i + ".ts";
            uploads.add(() -> {
                URI url = presigner.presignPutObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(10))
                        .putObjectRequest(r -> r.bucket("vod").key(key))).url().toURI();
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(url)
                        .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    throw new IOException("PUT " + key + " answered " + response.statusCode());
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
        static Cpu now(ServiceUnderTest service) throws IOException {
            String[] self = statFields(Path.of("/proc/self/stat"));
            return new Cpu(seconds(service.process.pid()), userAndSystem(self), ticks(self, 15) + ticks(self, 16));
        }

        /** CPU seconds (user and system) a process has used so far. */
        static double seconds(long pid) throws IOException {
            return userAndSystem(statFields(Path.of("/proc/" + pid + "/stat")));
        }

        /**
         * CPU seconds a JVM's JIT compilers have used so far: HotSpot's threads named
         * "C1 CompilerThread<n>" and "C2 CompilerThread<n>" (cut to 15 characters in /proc).
         */
        static double compilerSeconds(long pid) throws IOException {
            double seconds = 0;
            List<Path> threads;
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                threads = tasks.toList();
            }
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        seconds += userAndSystem(statFields(thread.resolve("stat")));
                    }
                } catch (IOException ended) {
                    // a thread that ended meanwhile (no such file, or ESRCH): a compiler thread HotSpot
                    // stopped takes its time with it, so a round's share can come out a little low
                }
            }
            return seconds;
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

        /**
         * Fields of a process's or a thread's stat file (/proc/PID/stat, /proc/PID/task/TID/stat)
         * after the command name (which may hold spaces), numbered as in proc(5) from 0.
         */
        private static String[] statFields(Path statFile) throws IOException {
            String stat = Files.readString(statFile);
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String[] fields = new String[rest.length + 2];
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        }

        private static double userAndSystem(String[] fields) {
            return ticks(fields, 13) + ticks(fields, 14);
        }

        private static double ticks(String[] fields, int index) {
            return Long.parseLong(fields[index]) / 100.0; // USER_HZ
        }
    }

}
