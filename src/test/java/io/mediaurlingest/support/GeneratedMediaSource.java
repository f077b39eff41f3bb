package io.mediaurlingest.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A large media file that never touches the disk: a real MP4 header followed by a
 * deterministic pseudo-random stream, served from 127.0.0.1 at any length, optionally slowly.
 */
public final class GeneratedMediaSource implements AutoCloseable {

    private final HttpServer server;
    private final byte[] header;
    private final long length;
    private final long bytesPerSecond;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    public GeneratedMediaSource(byte[] header, long length, long bytesPerSecond) throws IOException {
        this.header = header;
        this.length = length;
        this.bytesPerSecond = bytesPerSecond;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** SHA-256 of the whole stream, computed by generating it once more. */
    public String sha256() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Generator generator = new Generator();
        byte[] chunk = new byte[1 << 20];
        for (long done = 0; done < length; ) {
            int n = generator.next(chunk, (int) Math.min(chunk.length, length - done));
            sha.update(chunk, 0, n);
            done += n;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The downloads this source is serving now. */
    public int inProgress() {
        return inProgress.get();
    }

    /** The largest number of downloads this source was serving at the same time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        boolean counted = true;
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            exchange.sendResponseHeaders(200, length);
            OutputStream out = exchange.getResponseBody();
            Generator generator = new Generator();
            byte[] chunk = new byte[1 << 16];
            long started = System.nanoTime();
            for (long done = 0; done < length; ) {
                int n = generator.next(chunk, (int) Math.min(chunk.length, length - done));
                if (done + n == length) {
                    // counted out before the last bytes go: a client that has the whole file may
                    // open its next download at once
                    inProgress.decrementAndGet();
                    counted = false;
                }
                out.write(chunk, 0, n);
                done += n;
                if (bytesPerSecond > 0 && done < length) {
                    long due = started + done * 1_000_000_000L / bytesPerSecond;
                    long wait = (due - System.nanoTime()) / 1_000_000;
                    if (wait > 0) {
                        Thread.sleep(wait); // the source's pace
                    }
                }
            }
            out.close();
        } catch (IOException | InterruptedException clientGone) {
            if (counted) {
                inProgress.decrementAndGet(); // the service went away (killed, canceled)
            }
        }
    }

    /** The header bytes, then xorshift64 noise: the same stream every time. */
    private final class Generator {
        private long position;
        private long state = 0x9E3779B97F4A7C15L;

        int next(byte[] into, int count) {
            int i = 0;
            while (i < count && position < header.length) {
                into[i++] = header[(int) position++];
            }
            while (i < count) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                into[i++] = (byte) state;
                position++;
            }
            return count;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
