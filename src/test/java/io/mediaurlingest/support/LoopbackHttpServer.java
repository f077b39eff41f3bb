package io.mediaurlingest.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 for tests: serves files (sources) and records what is
 * POSTed to it (callback receivers). Answers are programmable per path.
 */
public final class LoopbackHttpServer implements AutoCloseable {

    public record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** A request header's first value, by its name in any case; null when it was not sent. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The body as an ICE event: the whole envelope ({"EventType","UserId","EventTime","MessageBody"}). */
        public com.fasterxml.jackson.databind.JsonNode event() {
            try {
                return io.mediaurlingest.Json.read(bodyText());
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + bodyText(), e);
            }
        }

        /** The MessageBody of an ICE event's envelope. */
        public com.fasterxml.jackson.databind.JsonNode iceMessage() {
            return event().path("MessageBody");
        }
    }

    /**
     * What a path answers; a positive chunkDelayMillis sends the body in 64 KiB chunks that far
     * apart; location makes it a redirect; chunked leaves out Content-Length.
     */
    public record Answer(int status, String contentType, byte[] body, long chunkDelayMillis, String location,
            boolean chunked) {
        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, 0, null, false);
        }
    }

    private final HttpServer server;
    private final String host;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final Map<String, java.util.Queue<Integer>> statusSequences = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> requiredHeaders = new ConcurrentHashMap<>();

    public LoopbackHttpServer() throws IOException {
        this("127.0.0.1");
    }

    /** A server on another loopback address (127.0.0.2, ...): Linux routes all of 127.0.0.0/8 to lo. */
    public LoopbackHttpServer(String loopbackAddress) throws IOException {
        this(loopbackAddress, 0);
    }

    public LoopbackHttpServer(String loopbackAddress, int port) throws IOException {
        this.host = loopbackAddress;
        server = HttpServer.create(new InetSocketAddress(loopbackAddress, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public LoopbackHttpServer serve(String path, String contentType, byte[] body) {
        answers.put(path, new Answer(200, contentType, body));
        return this;
    }

    /** Serves a body slowly, like a far-away source: a chunk, a pause, a chunk... */
    public LoopbackHttpServer serveSlowly(String path, String contentType, byte[] body, long chunkDelayMillis) {
        answers.put(path, new Answer(200, contentType, body, chunkDelayMillis, null, false));
        return this;
    }

    /** Serves a body without Content-Length, 64 KiB at a time with a pause between. */
    public LoopbackHttpServer serveChunkedSlowly(String path, String contentType, byte[] body, long chunkDelayMillis) {
        answers.put(path, new Answer(200, contentType, body, chunkDelayMillis, null, true));
        return this;
    }

    /** Serves a body without Content-Length (chunked), as a source that does not say its size. */
    public LoopbackHttpServer serveChunked(String path, String contentType, byte[] body) {
        answers.put(path, new Answer(200, contentType, body, 0, null, true));
        return this;
    }

    /** The next requests to the path answer these statuses in turn (empty bodies); then the usual answer. */
    public LoopbackHttpServer statuses(String path, Integer... statuses) {
        statusSequences.put(path, new java.util.concurrent.ConcurrentLinkedQueue<>(java.util.List.of(statuses)));
        return this;
    }

    /** The path answers 401 unless the request carries each of these headers with exactly this value. */
    public LoopbackHttpServer requireHeaders(String path, Map<String, String> headers) {
        requiredHeaders.put(path, Map.copyOf(headers));
        return this;
    }

    public LoopbackHttpServer redirect(String path, String location) {
        answers.put(path, new Answer(302, "text/plain", new byte[0], 0, location, false));
        return this;
    }

    public LoopbackHttpServer answer(String path, int status, String contentType, byte[] body) {
        answers.put(path, new Answer(status, contentType, body));
        return this;
    }

    public String url(String path) {
        return "http://" + host + ":" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Received> received() {
        return received;
    }

    public int requestCount() {
        return requests.get();
    }

    /** The largest number of requests this server was answering at the same time. */
    public int mostAtOnce() {
        return mostAtOnce.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        mostAtOnce.accumulateAndGet(inProgress.incrementAndGet(), Math::max);
        try {
            answer(exchange);
        } finally {
            inProgress.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        received.add(new Received(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Answer answer = answers.getOrDefault(path, new Answer(
                "POST".equals(exchange.getRequestMethod()) ? 200 : 404, "text/plain", new byte[0]));
        java.util.Queue<Integer> sequence = statusSequences.get(path);
        Integer next = sequence == null ? null : sequence.poll();
        if (next != null) {
            answer = new Answer(next, "text/plain", new byte[0]);
        }
        Map<String, String> required = requiredHeaders.getOrDefault(path, Map.of());
        if (required.entrySet().stream().anyMatch(h -> !h.getValue().equals(exchange.getRequestHeaders().getFirst(h.getKey())))) {
            answer = new Answer(401, "text/plain", new byte[0]);
        }
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        if (answer.location() != null) {
            exchange.getResponseHeaders().set("Location", answer.location());
        }
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(answer.status(), -1);
        } else {
            exchange.sendResponseHeaders(answer.status(),
                    answer.chunked() ? 0 : answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (answer.chunkDelayMillis() <= 0) {
                    out.write(answer.body());
                } else {
                    for (int off = 0; off < answer.body().length; off += 65536) {
                        if (off > 0) {
                            sleep(answer.chunkDelayMillis()); // between chunks: the answer ends with its last byte
                        }
                        out.write(answer.body(), off, Math.min(65536, answer.body().length - off));
                        out.flush();
                    }
                }
            } catch (IOException clientWentAway) {
                // the downloader hung up (cancel, limit): nothing to answer any more
            }
        }
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // the source's pace, not a test waiting for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
