package io.mediaurlingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.Ids;

/** A claim returns the job as the claim left it, and only from the row as it was read. */
class JobClaimTest {

    @TempDir
    Path dataDir;

    Database database;
    JobRepository jobs;

    @BeforeEach
    void open() {
        database = new Database("", "sa", "", 2, Duration.ofSeconds(5), dataDir);
        database.start();
        jobs = new JobRepository(database, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.stop();
    }

    private UploadJob submitted() {
        UploadJob job = UploadJob.pending(Ids.newId(), Ids.newId(), "http://127.0.0.1:1/a.mp4", null, null, null, null,
                "mp4", "local-vod", null, jobs.now(), ApiFamily.ICE, null);
        database.inTransaction(c -> {
            jobs.insertAll(c, List.of(job));
            return null;
        });
        return jobs.find(job.jobId()).orElseThrow();
    }

    @Test
    void theClaimedJobIsTheRowAsTheClaimLeftIt() {
        UploadJob read = submitted();
        UploadJob claimed = jobs.claim(read, "node-a", jobs.now().plusSeconds(30)).orElseThrow();

        assertThat(claimed.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.nodeId()).isEqualTo("node-a");
        assertThat(jobs.find(read.jobId()).orElseThrow()).isEqualTo(claimed);
    }

    @Test
    void aClaimFromAStaleReadTakesNothing() {
        UploadJob read = submitted();
        assertThat(jobs.claim(read, "node-a", jobs.now().minusSeconds(1))).isPresent(); // its lease has run out already
        // node-b read the job before node-a's claim: the lease ran out, but the row is no longer what node-b saw
        assertThat(jobs.claim(read, "node-b", jobs.now().plusSeconds(30))).isEmpty();

        UploadJob fresh = jobs.find(read.jobId()).orElseThrow();
        UploadJob takenOver = jobs.claim(fresh, "node-b", jobs.now().plusSeconds(30)).orElseThrow();
        assertThat(takenOver.attempts()).isEqualTo(2);
        assertThat(jobs.find(read.jobId()).orElseThrow()).isEqualTo(takenOver);
    }
}
