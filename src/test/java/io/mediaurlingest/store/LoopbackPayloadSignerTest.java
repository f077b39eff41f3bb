package io.mediaurlingest.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** A store on loopback gets unsigned payloads (signed headers); any other plain-HTTP store keeps signed chunks. */
class LoopbackPayloadSignerTest {

    @Test
    void loopbackAddressesAndLocalhostOnly() {
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("http://127.0.0.1:9000"))).isTrue();
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("http://127.8.9.10:9000"))).isTrue();
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("http://[::1]:9000"))).isTrue();
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("http://localhost:9000"))).isTrue();
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("http://10.0.0.5:9000"))).isFalse();
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("http://minio.example.com:9000"))).isFalse();
        assertThat(LoopbackPayloadSigner.appliesTo(URI.create("https://127.0.0.1:9000"))).as("https: the SDK decides").isFalse();
    }

    @Test
    void aPutToALoopbackStoreSendsTheBodyUnsignedAndUnchunked() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> head = CompletableFuture.supplyAsync(() -> readHeadAndRefuse(server));
            StorageLocation location = new StorageLocation("t", URI.create("http://127.0.0.1:" + server.getLocalPort()),
                    "us-east-1", "id", "secret", "vod");
            try {
                location.s3().putObject(b -> b.bucket("vod").key("k"), RequestBody.fromBytes(new byte[1000]));
            } catch (RuntimeException refused) {
                // the fake store answers 500: only the request matters here
            }

            List<String> lines = head.get(20, TimeUnit.SECONDS);
            assertThat(lines.get(0)).startsWith("PUT /vod/k ");
            assertThat(lines).anyMatch(l -> l.equalsIgnoreCase("x-amz-content-sha256: UNSIGNED-PAYLOAD"));
            assertThat(lines).anyMatch(l -> l.equalsIgnoreCase("Content-Length: 1000"));
            assertThat(lines).noneMatch(l -> l.toLowerCase().startsWith("content-encoding"));
            assertThat(lines).anyMatch(l -> l.startsWith("Authorization: AWS4-HMAC-SHA256 ") && l.contains("x-amz-content-sha256"));
        }
    }

    private static List<String> readHeadAndRefuse(ServerSocket server) {
        try (Socket socket = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
            }
            socket.getOutputStream().write("HTTP/1.1 500 No\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            return lines;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                server.close(); // the client's retries are refused at once
            } catch (java.io.IOException ignored) {
                // closed already
            }
        }
    }
}
