package io.mediaurlingest.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A source on 127.0.0.1 that misbehaves on purpose: answers an error status for its first
 * requests, cuts the connection in the middle of the body, or stalls. It honours Range with
 * If-Range against its ETag, like a CDN, so resumes can be observed.
 */
public final class FaultySource implements AutoCloseable {

    private static final String ETAG = "\"media-v1\"";

    private final HttpServer server;
    private final byte[] body;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int errorStatus;
    private volatile int errorsLeft;
    private volatile String retryAfter;
    private volatile long cutAfterBytes = -1;
    private volatile int cutsLeft;
    private volatile long stallMillis;
    private volatile boolean supportRanges = true;
    private volatile long holdAtBytes = -1;
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    public FaultySource(byte[] body) throws IOException {
        this.body = body;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The first {@code times} requests answer {@code status} (with Retry-After when given). */
    public FaultySource failFirst(int times, int status, String retryAfterSeconds) {
        this.errorsLeft = times;
        this.errorStatus = status;
        this.retryAfter = retryAfterSeconds;
        return this;
    }

    /** The first {@code times} bodies stop after {@code bytes} bytes of what they announced. */
    public FaultySource cutFirst(int times, long bytes) {
        this.cutsLeft = times;
        this.cutAfterBytes = bytes;
        return this;
    }

    /** The body pauses this long after its first 64 KiB. */
    public FaultySource stall(long millis) {
        this.stallMillis = millis;
        return this;
    }

    /** The first body pauses once it has sent this many bytes, until {@link #release()}. */
    public FaultySource holdAt(long bytes) {
        this.holdAtBytes = bytes;
        return this;
    }

    /** Waits until a body has paused at its hold point. */
    public boolean awaitHeld() throws InterruptedException {
        return held.await(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Lets the paused body go on. */
    public void release() {
        release.countDown();
    }

    public FaultySource withoutRanges() {
        this.supportRanges = false;
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The Range header of every request ("" when there was none). */
    public List<String> ranges() {
        return ranges;
    }

    public int requestCount() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        try (exchange) {
            if (errorsLeft > 0) {
                errorsLeft--;
                if (retryAfter != null) {
                    exchange.getResponseHeaders().set("Retry-After", retryAfter);
                }
                exchange.sendResponseHeaders(errorStatus, -1);
                return;
            }
            int start = 0;
            String ifRange = exchange.getRequestHeaders().getFirst("If-Range");
            if (supportRanges && range != null && range.startsWith("bytes=") && ETAG.equals(ifRange)) {
                start = Integer.parseInt(range.substring(6, range.indexOf('-')));
            }
            exchange.getResponseHeaders().set("Content-Type", "video/mp4");
            if (supportRanges) {
                exchange.getResponseHeaders().set("ETag", ETAG);
                exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
            }
            int length = body.length - start;
            if (start > 0) {
                exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
                exchange.sendResponseHeaders(206, length);
            } else {
                exchange.sendResponseHeaders(200, length);
            }
            OutputStream out = exchange.getResponseBody();
            long limit = length;
            if (cutsLeft > 0) {
                cutsLeft--;
                limit = Math.min(length, cutAfterBytes);
            }
            int written = 0;
            while (written < limit) {
                int n = (int) Math.min(65536, limit - written);
                out.write(body, start + written, n);
                out.flush();
                written += n;
                if (stallMillis > 0 && written >= 65536) {
                    sleep(stallMillis);
                }
                if (holdAtBytes >= 0 && written >= holdAtBytes && held.getCount() > 0) {
                    held.countDown();
                    awaitRelease();
                }
            }
            if (limit < length) {
                // a cut: the connection drops with bytes still owed
                throw new IOException("cut on purpose");
            }
            out.close();
        } catch (IOException cutOrClientGone) {
            // the exchange closes with fewer bytes than announced: the client sees a reset body
        }
    }

    private void awaitRelease() {
        try {
            release.await(60, java.util.concurrent.TimeUnit.SECONDS); // the test decides when the rest may come
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // the source's behaviour under test, not a wait in the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
