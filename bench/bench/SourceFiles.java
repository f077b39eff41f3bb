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

/** The media the bench makes with ffmpeg, and the loopback server (sendfile) that serves them. */
final class SourceFiles {

    private SourceFiles() {
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

}
