package io.mediaurlingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mediaurlingest.Database;

/**
 * The periodic sweeps' queries on the embedded database read through an index, not every job: at a
 * million jobs a walk over all of them took seconds of a core per sweep.
 */
class QueryPlansTest {

    @TempDir
    Path dataDir;

    Database database;

    @BeforeEach
    void open() {
        database = new Database("", "sa", "", 2, Duration.ofSeconds(5), dataDir);
        database.start();
    }

    @AfterEach
    void close() {
        database.stop();
    }

    private String plan(String sql, Object... parameters) {
        return database.withConnection(c -> {
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    explain.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rs = explain.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    @Test
    void theRequeueSweepReadsARangeOfTheStatusIndexForEachOfItsQuestions() {
        OffsetDateTime now = OffsetDateTime.now();
        assertThat(plan(JobRepository.STALE_RUNNING_SQL, now))
                .contains("PUBLIC.UPLOAD_JOB_STATUS_UPDATED: STATUS = 'PROCESSING'").doesNotContain("tableScan");
        assertThat(plan(JobRepository.STALE_WAITING_SQL, now))
                .contains("PUBLIC.UPLOAD_JOB_STATUS_UPDATED: STATUS = 'PENDING'\n        AND UPDATED_AT < ?1")
                .contains("index sorted").doesNotContain("tableScan");
    }
}
