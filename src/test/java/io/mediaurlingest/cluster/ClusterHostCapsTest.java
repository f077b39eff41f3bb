package io.mediaurlingest.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.Ids;
import io.mediaurlingest.callback.CallbackEvent;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.callback.EventShape;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.support.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-host limits of a cluster, on a real PostgreSQL: claims racing from many threads (as
 * from many nodes) take at most the limit's number of slots of one host, under the advisory lock;
 * a slot comes back when its job ends or its lease runs out (delivery: when its attempt is
 * recorded); other hosts are not held up. No URL here is ever fetched.
 */
class ClusterHostCapsTest {

    private static final String HOST = "media.example.com";

    @TempDir
    static Path dataDir;

    private static LocalPostgres postgres;
    private static Database database;
    private static JobRepository jobs;
    private static EventOutbox outbox;

    @BeforeAll
    static void database() throws Exception {
        postgres = LocalPostgres.start();
        database = new Database(postgres.jdbcUrl(), "postgres", "", 24, Duration.ofSeconds(5), dataDir);
        database.start();
        jobs = new JobRepository(database, Clock.systemUTC());
        outbox = new EventOutbox(database, null, new EventShape("auto", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        database.stop();
        postgres.close();
    }

    /** A node's claim of a job it has just read, its host allowed 3 running jobs. */
    private JobRepository.HostClaim claim(String jobId, String node, String host) {
        return jobs.claimWithinHostCap(jobs.find(jobId).orElseThrow(), node, jobs.now().plusSeconds(30), host, 3);
    }

    @Test
    void racingClaimsTakeAtMostTheHostsLimit() throws Exception {
        List<String> ids = pendingJobs("https://" + HOST + "/clip-", 16);
        List<JobRepository.HostClaim> claims = race(ids.size(), i -> claim(ids.get(i), "node-" + i % 3, HOST));
        List<String> claimed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            claims.get(i).job().ifPresent(job -> claimed.add(job.jobId()));
        }
        assertThat(claimed).hasSize(3);
        assertThat(claims).filteredOn(JobRepository.HostClaim::hostBusy).hasSize(13);

        List<String> waiting = ids.stream().filter(id -> !claimed.contains(id)).toList();
        String owner = jobs.find(claimed.get(0)).orElseThrow().nodeId();
        // another host is not held up by this one
        String elsewhere = pendingJobs("https://other.example.com/clip-", 1).get(0);
        assertThat(claim(elsewhere, "node-0", "other.example.com").job()).isPresent();
        // full: the next job of the host waits
        assertThat(claim(waiting.get(0), "node-1", HOST).hostBusy()).isTrue();
        // a job that ends gives its slot back
        database.inTransaction(c -> jobs.finish(c, claimed.get(0), JobStatus.SUCCESS, 1L, null, null, owner));
        assertThat(claim(waiting.get(0), "node-1", HOST).job()).isPresent();
        assertThat(claim(waiting.get(1), "node-1", HOST).hostBusy()).isTrue();
        // so does a job whose node stopped renewing its lease (it died, or stopped and handed it over)
        String second = claimed.get(1);
        jobs.expireLeases(jobs.find(second).orElseThrow().nodeId(), List.of(second));
        assertThat(claim(waiting.get(1), "node-2", HOST).job()).isPresent();
    }

    @Test
    void racingDeliveriesTakeAtMostTheReceiverHostsLimit() throws Exception {
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            CallbackEvent event = new CallbackEvent(Ids.newId(), "UploadByURLComplete", Ids.newId(), Ids.newId(), null,
                    "https://hooks.example.com/events/" + i, "{}", ApiFamily.ICE);
            database.inTransaction(c -> {
                outbox.add(c, event);
                return null;
            });
            eventIds.add(event.eventId());
        }
        List<Boolean> claimed = race(eventIds.size(), i -> outbox.claimWithinHostCap(eventIds.get(i), Duration.ofSeconds(15), 2)
                .isPresent());
        assertThat(claimed).filteredOn(Boolean::booleanValue).hasSize(2);

        // the postponed ones are due again a second later; a recorded attempt frees its slot
        int first = claimed.indexOf(true);
        outbox.delivered(eventIds.get(first));
        List<String> postponed = new ArrayList<>();
        for (int i = 0; i < eventIds.size(); i++) {
            if (!claimed.get(i)) {
                postponed.add(eventIds.get(i));
            }
        }
        database.update("UPDATE callback_event SET next_attempt_at = ? WHERE event_id IN (" + Database.marks(postponed.size())
                + ")", prepend(Ids.now().minusSeconds(1), postponed)); // as if that second had passed
        assertThat(outbox.claimWithinHostCap(postponed.get(0), Duration.ofSeconds(15), 2)).isPresent();
        assertThat(outbox.claimWithinHostCap(postponed.get(1), Duration.ofSeconds(15), 2)).isEmpty();
    }

    private static Object[] prepend(Object first, List<String> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray();
    }

    private static List<String> pendingJobs(String urlPrefix, int count) {
        List<UploadJob> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            made.add(UploadJob.pending(Ids.newId(), Ids.newId(), urlPrefix + i + ".mp4", null, null, null, "{}", "mp4",
                    "local-vod", null, Ids.now(), ApiFamily.ICE, null));
        }
        database.inTransaction(c -> {
            jobs.insertAll(c, made);
            return null;
        });
        return made.stream().map(UploadJob::jobId).toList();
    }

    /** Runs the calls on as many threads, all let go at the same moment. */
    private static <T> List<T> race(int count, IndexedCall<T> call) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                results.add(threads.submit((Callable<T>) () -> {
                    go.await();
                    return call.call(index);
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> result : results) {
                out.add(result.get());
            }
            return out;
        } finally {
            threads.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface IndexedCall<T> {
        T call(int index) throws Exception;
    }
}
