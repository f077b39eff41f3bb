package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One slow host cannot take every ingest slot: at most ingest.fetch.per-host-concurrency downloads from it. */
class PerHostConcurrencyTest {

    @TempDir
    Path dataDir;

    @Test
    void aSlowHostGetsItsShareWhileAnotherHostIsServed() throws Exception {
        byte[] slow = Fixtures.mp4OfSize(1 << 20, 5);
        try (LoopbackHttpServer slowHost = new LoopbackHttpServer("127.0.0.1");
                LoopbackHttpServer fastHost = new LoopbackHttpServer("127.0.0.3")) {
            for (int i = 0; i < 6; i++) {
                slowHost.serveSlowly("/s" + i + ".mp4", "video/mp4", slow, 100); // about 1.6 s each
            }
            fastHost.serve("/f.mp4", "video/mp4", Fixtures.media("sample.mp4"));
            Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
            settings.put("ingest.concurrency", "4");
            settings.put("ingest.fetch.per-host-concurrency", "2");
            try (RunningService service = RunningService.start(dataDir, settings)) {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    urls.add(RunningService.encode(slowHost.url("/s" + i + ".mp4")));
                }
                urls.add(RunningService.encode(fastHost.url("/f.mp4")));
                JsonNode jobs = service.call("UploadMediaByURL", Map.of("UploadURLs", String.join(",", urls))).body()
                        .path("UploadJobs");
                List<String> ids = new ArrayList<>();
                jobs.forEach(j -> ids.add(j.path("JobId").asText()));

                // two of the slow host's jobs wait, parked, while two download; none goes round the queue
                JobLifecycle lifecycle = service.bean("jobLifecycle", JobLifecycle.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> lifecycle.waitingForHost() == 2);
                // jobs submitted now for that host join the line at once, without a lap of the queue
                List<String> firstBatch = List.copyOf(ids);
                NotifyBuilder queuedNew = new NotifyBuilder(service.context())
                        .filter(e -> !firstBatch.contains(e.getMessage().getBody(String.class)))
                        .wereSentTo("seda:ingest-jobs*").whenDone(1).create();
                service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(slowHost.url("/s4.mp4")) + ","
                        + RunningService.encode(slowHost.url("/s5.mp4")))).body().path("UploadJobs")
                        .forEach(j -> ids.add(j.path("JobId").asText()));
                assertThat(lifecycle.waitingForHost()).isEqualTo(4);
                assertThat(queuedNew.matches()).as("a new job of the busy host went on the queue").isFalse();
                List<String> slowJobs = List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(5), ids.get(6));

                // the fast host's job ends while the slow host's are still running
                await().atMost(Duration.ofSeconds(30)).until(() -> status(service, ids.get(4)).equals("SUCCESS"));
                assertThat(slowJobs.stream().filter(id -> {
                    try {
                        return status(service, id).equals("SUCCESS");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).count()).isLessThan(6);
                await().atMost(Duration.ofSeconds(60)).until(() -> slowJobs.stream().allMatch(id -> {
                    try {
                        return status(service, id).equals("SUCCESS");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                assertThat(slowHost.mostAtOnce()).isEqualTo(2);
                assertThat(slowHost.requestCount()).as("one request per job").isEqualTo(6);
                assertThat(lifecycle.waitingForHost()).isZero();
            }
        }
    }

    /**
     * While every worker downloads from one host, nobody is left to find the host busy: a burst of
     * submits for it must still wait in its line, not go on the queue to be read one by one the
     * moment those downloads end (which had stalled the API for a second and more under load).
     */
    @Test
    void whileEveryWorkerDownloadsFromAHostABurstForItWaitsInLine() throws Exception {
        try (LoopbackHttpServer host = new LoopbackHttpServer("127.0.0.1")) {
            byte[] slow = Fixtures.mp4OfSize(1 << 20, 5);
            // 16 chunks, about 5 s each: the three submits below are answered long before
            host.serveSlowly("/s0.mp4", "video/mp4", slow, 300);
            host.serveSlowly("/s1.mp4", "video/mp4", slow, 300);
            for (int i = 0; i < 30; i++) {
                host.serve("/f" + i + ".mp4", "video/mp4", Fixtures.media("sample.mp4"));
            }
            Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
            settings.put("ingest.concurrency", "2");
            settings.put("ingest.fetch.per-host-concurrency", "2");
            try (RunningService service = RunningService.start(dataDir, settings)) {
                List<String> ids = new ArrayList<>();
                service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(host.url("/s0.mp4")) + ","
                        + RunningService.encode(host.url("/s1.mp4")))).body().path("UploadJobs")
                        .forEach(j -> ids.add(j.path("JobId").asText()));
                await().atMost(Duration.ofSeconds(10)).until(() -> host.received().size() == 2); // both workers download

                JobLifecycle lifecycle = service.bean("jobLifecycle", JobLifecycle.class);
                List<String> slowJobs = List.copyOf(ids);
                NotifyBuilder queuedNew = new NotifyBuilder(service.context())
                        .filter(e -> !slowJobs.contains(e.getMessage().getBody(String.class)))
                        .wereSentTo("seda:ingest-jobs*").whenDone(1).create();
                for (int batch = 0; batch < 3; batch++) {
                    List<String> urls = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        urls.add(RunningService.encode(host.url("/f" + (batch * 10 + i) + ".mp4")));
                    }
                    service.call("UploadMediaByURL", Map.of("UploadURLs", String.join(",", urls))).body()
                            .path("UploadJobs").forEach(j -> ids.add(j.path("JobId").asText()));
                }
                assertThat(lifecycle.waitingForHost()).isEqualTo(30);
                assertThat(host.received()).as("the slow downloads still run").hasSize(2);
                assertThat(queuedNew.matches()).as("a job of the busy host went on the queue").isFalse();

                await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> {
                    try {
                        return status(service, id).equals("SUCCESS");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
                assertThat(host.requestCount()).as("one request per job").isEqualTo(32);
                assertThat(host.mostAtOnce()).isEqualTo(2);
                assertThat(lifecycle.waitingForHost()).isZero();
            }
        }
    }

    private static String status(RunningService service, String jobId) throws Exception {
        return service.call("GetUrlUploadInfos", Map.of("JobIds", jobId)).body().path("URLUploadInfoList").get(0)
                .path("Status").asText();
    }
}
