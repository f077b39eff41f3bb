package io.mediaurlingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.mediaurlingest.support.Fixtures;
import io.mediaurlingest.support.LoopbackHttpServer;
import io.mediaurlingest.support.RunningService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop that cannot wait for a long download returns its job to PENDING, with no lease held. */
class GracefulShutdownTest {

    @TempDir
    Path dataDir;

    @Test
    void anUnfinishedJobGoesBackToPendingWhenTheServiceStops() throws Exception {
        byte[] body = Fixtures.mp4OfSize(4 << 20, 9);
        String jobId;
        try (LoopbackHttpServer source = new LoopbackHttpServer().serveSlowly("/long.mp4", "video/mp4", body, 200)) {
            Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
            settings.put("camel.main.shutdown-timeout", "2");
            RunningService service = RunningService.start(dataDir, settings);
            try {
                jobId = service.call("UploadMediaByURL", Map.of("UploadURLs", RunningService.encode(source.url("/long.mp4"))))
                        .body().path("UploadJobs").get(0).path("JobId").asText();
                await().atMost(Duration.ofSeconds(30)).until(() -> service.call("GetUrlUploadInfos", Map.of("JobIds", jobId))
                        .body().path("URLUploadInfoList").get(0).path("BytesDone").asLong() > 0);
            } finally {
                service.close();
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("db").resolve("ingest"), "sa", "");
                PreparedStatement ps = c.prepareStatement("SELECT status, lease_owner FROM upload_job WHERE job_id = ?")) {
            ps.setString(1, jobId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("PENDING");
                assertThat(rs.getString(2)).isNull();
            }
        }
    }
}
