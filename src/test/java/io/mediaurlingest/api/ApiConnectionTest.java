package io.mediaurlingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.mediaurlingest.Json;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's connections: a client must bring its request within ingest.api.request-timeout
 * (here 1 s), whether it sends nothing, trickles its headers or its body; a prompt client keeps
 * its connection for several requests. Methods other than GET and POST, OPTIONS included, get
 * the API's own 405 (TRACE, Netty's).
 */
class ApiConnectionTest {

    @TempDir
    static Path dataDir;
    static RunningService service;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(dataDir, Map.of("ingest.api.request-timeout", "1s"));
        port = URI.create(service.baseUrl()).getPort();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** Sends the parts one by one, {@code gapMillis} apart; returns how long after connecting the server closed. */
    private static Duration closedAfter(List<String> parts, long gapMillis) throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread writer = new Thread(() -> {
                try {
                    for (String part : parts) {
                        out.write(part.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(gapMillis);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed the connection: what this test waits for
                }
            });
            writer.setDaemon(true);
            writer.start();
            try {
                while (in.read() >= 0) {
                    // drain until the server closes
                }
            } catch (IOException reset) {
                // closed
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        assertThat(closedAfter(List.of(), 0)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
    }

    @Test
    void headersSentAByteAtATimeAreCutOff() throws Exception {
        String head = "GET /?Action=GetUrlUploadInfos&JobIds=x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200);
        List<String> bytes = head.chars().mapToObj(c -> String.valueOf((char) c)).toList();
        assertThat(closedAfter(bytes, 50)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
    }

    @Test
    void aBodySentAByteAtATimeIsCutOff() throws Exception {
        String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 1000\r\n\r\n";
        List<String> parts = new java.util.ArrayList<>(List.of(head));
        for (int i = 0; i < 100; i++) {
            parts.add("a");
        }
        assertThat(closedAfter(parts, 50)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(5));
    }

    @Test
    void aPromptClientKeepsItsConnectionForSeveralRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write(("GET /?Action=GetUrlUploadInfos&JobIds=j" + i + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String response = readResponse(socket.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200").contains("\"NonExists\":[\"j" + i + "\"]");
                Thread.sleep(500); // idle, but less than the timeout
            }
        }
    }

    /** One response with Content-Length, read exactly. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) c);
        }
        int length = Integer.parseInt(head.toString().toLowerCase().split("content-length: ")[1].split("\r\n")[0].trim());
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void everyMethodButGetAndPostGetsTheApisOwn405() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String method : List.of("OPTIONS", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(service.baseUrl() + "?Action=GetUrlUploadInfos&JobIds=x"))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method).isEqualTo(405);
            assertThat(Json.read(response.body()).path("Code").asText()).as(method).isEqualTo("UnsupportedHTTPMethod");
            assertThat(response.headers().firstValue("Allow")).as(method).isEmpty();
        }
        HttpResponse<String> trace = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()))
                .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(trace.statusCode()).isEqualTo(405); // Netty refuses TRACE before the API sees it
        assertThat(trace.body()).isEmpty();
    }
}
