package io.mediaurlingest.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * The service in a JVM of its own (java -Xmx... io.mediaurlingest.Application), as an
 * operator runs it: for heap limits, and to be killed with SIGKILL mid-job.
 */
public final class ForkedService implements AutoCloseable {

    private final Process process;
    private final int apiPort;

    private ForkedService(Process process, int apiPort) {
        this.process = process;
        this.apiPort = apiPort;
    }

    public static ForkedService start(String maxHeap, int apiPort, Path dataDir, Path log, Map<String, String> properties)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + maxHeap);
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dingest.api.port=" + apiPort);
        command.add("-Dcamel.management.port=0"); // any free port: these tests read the API only
        command.add("-Dingest.data-dir=" + dataDir);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.mediaurlingest.Application");
        for (int attempt = 1; ; attempt++) {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ForkedService service = new ForkedService(process, apiPort);
            try {
                service.awaitStarted(log);
                return service;
            } catch (PortTakenException e) {
                // a "free" port was taken meanwhile, by another test's service or an outgoing
                // connection's local port: it is free again once that connection ends
                if (attempt == 5) {
                    throw e;
                }
                Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            }
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }

    private void awaitStarted(Path log) {
        HttpClient http = HttpClient.newHttpClient();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                List<String> lines = java.nio.file.Files.readAllLines(log);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                String message = "the service exited with " + process.exitValue() + "; its log ends: " + tail;
                throw String.join("\n", lines).contains("Address already in use") ? new PortTakenException(message)
                        : new IllegalStateException(message);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "?Action=GetUrlUploadInfos&JobIds=x"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() < 500; // refused unsigned when keys are set
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + apiPort + "/";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, like a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
