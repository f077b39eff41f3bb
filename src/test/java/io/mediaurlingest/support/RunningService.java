package io.mediaurlingest.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.MediaUrlIngest;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole application started in this JVM as java -jar starts it (camel-main with
 * application.properties), on free loopback ports and a fresh data folder, plus a small
 * client for its RPC API.
 */
public final class RunningService implements AutoCloseable {

    private final Main main;
    private final int apiPort;
    private final int managementPort;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningService(Main main, int apiPort, int managementPort, Path dataDir) {
        this.main = main;
        this.apiPort = apiPort;
        this.managementPort = managementPort;
        this.dataDir = dataDir;
    }

    public static RunningService start(Path dataDir, Map<String, String> overrides) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int apiPort = freePort();
            int managementPort = freePort();
            Main main = new Main();
            main.configure().addRoutesBuilder(new MediaUrlIngest());
            main.addOverrideProperty("ingest.api.port", String.valueOf(apiPort));
            main.addOverrideProperty("camel.management.port", String.valueOf(managementPort));
            main.addOverrideProperty("ingest.data-dir", dataDir.toString());
            main.addOverrideProperty("ingest.store.embedded.port", "0");
            overrides.forEach(main::addOverrideProperty);
            try {
                main.start();
                return new RunningService(main, apiPort, managementPort, dataDir);
            } catch (RuntimeException e) {
                main.stop();
                // the free port was taken meanwhile (by an outgoing connection's local port): pick another
                if (attempt == 3 || org.apache.camel.util.ObjectHelper.getException(java.net.BindException.class, e) == null) {
                    throw e;
                }
            }
        }
    }

    /** Both address guards lifted: the tests' sources and receivers live on loopback. */
    public static Map<String, String> loopbackAllowed() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ingest.fetch.allow-private-networks", "true");
        p.put("ingest.callback.allow-private-networks", "true");
        return p;
    }

    /** camel-main's management server: /observe/health, /observe/metrics. */
    public String managementUrl(String path) {
        return "http://127.0.0.1:" + managementPort + path;
    }

    /** GET on the management server. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(managementUrl(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One sample of the Prometheus scrape, by name and labels as written there (0 when absent). */
    public double metric(String sample) throws IOException, InterruptedException {
        for (String line : management("/observe/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        return 0;
    }

    /** The stored file of a media, through the presigned FileUrl of GetMediaInfo. */
    public byte[] storedFile(String mediaId) throws IOException, InterruptedException {
        JsonNode file = call("GetMediaInfo", Map.of("MediaId", mediaId)).body().path("MediaInfo").path("FileInfoList")
                .get(0).path("FileBasicInfo");
        return download(file.path("FileUrl").asText());
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(String name, Class<T> type) {
        return context().getRegistry().lookupByNameAndType(name, type);
    }

    /** Calls an action with GET and the parameters in the query string. */
    public ApiReply call(String action, Map<String, String> parameters) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Action", action);
        all.putAll(parameters);
        String query = all.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "?" + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new ApiReply(response.statusCode(), Json.read(response.body()));
    }

    /** Calls an action with POST and the parameters in a form body. */
    public ApiReply post(String action, Map<String, String> parameters) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Action", action);
        all.putAll(parameters);
        String form = all.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        try {
            return new ApiReply(response.statusCode(), Json.read(response.body()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("not JSON (HTTP " + response.statusCode() + "): " + response.body()
                    + " for " + form.substring(0, Math.min(300, form.length())), e);
        }
    }

    /** Waits (up to a minute) until the job has ended, SUCCESS, FAIL or CANCELED, and returns its URLUploadInfo. */
    public JsonNode awaitJobEnd(String jobId) {
        JsonNode[] last = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            JsonNode info = call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0);
            if (info == null) {
                return false; // an error reply (503 while the database comes back): ask again
            }
            last[0] = info;
            return java.util.List.of("SUCCESS", "FAIL", "CANCELED").contains(last[0].path("Status").asText());
        });
        return last[0];
    }

    /** The official ICE SDK's client, signing with this AccessKey, pointed at this service. */
    public com.aliyun.ice20201109.Client iceClient(String accessKeyId, String secret) throws Exception {
        return new com.aliyun.ice20201109.Client(new com.aliyun.teaopenapi.models.Config().setAccessKeyId(accessKeyId)
                .setAccessKeySecret(secret).setEndpoint("127.0.0.1:" + apiPort).setProtocol("HTTP")
                .setRegionId("cn-shanghai"));
    }

    public byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + apiPort + "/";
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public record ApiReply(int status, JsonNode body) {
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        main.stop();
    }
}
