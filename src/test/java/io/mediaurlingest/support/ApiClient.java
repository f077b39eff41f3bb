package io.mediaurlingest.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Json;

/** A minimal unsigned RPC client for a service at a base URL (in this JVM or forked). */
public final class ApiClient {

    private final String baseUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    public ApiClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public JsonNode call(String action, Map<String, String> parameters) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Action", action);
        all.putAll(parameters);
        String query = all.entrySet().stream()
                .map(e -> RunningService.encode(e.getKey()) + "=" + RunningService.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.read(response.body());
    }

    public JsonNode job(String jobId) throws IOException, InterruptedException {
        return call("GetUrlUploadInfos", Map.of("JobIds", jobId)).path("URLUploadInfoList").get(0);
    }

    /** Streams a URL through SHA-256 without holding it in memory. */
    public String sha256Of(String url) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
