package bench;

import static bench.Bench.*;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.mediaurlingest.support.LocalBroker;
import io.mediaurlingest.support.LocalPostgres;
import org.gaul.s3proxy.S3Proxy;

/**
 * bench/run.sh 1 backlog: what one host's backlog costs a cluster node while it waits. One node
 * (8 workers, 2 downloads per host) on Artemis and PostgreSQL takes 2,000 jobs of one host whose
 * downloads do not answer; for 20 s it prints each second the PostgreSQL transactions
 * (pg_stat_database) and the node's CPU seconds. A waiting job goes back on the broker every
 * second and costs two transactions each time it comes round (its read and the host's locked
 * count); a single node parks it in memory instead. Nothing is written.
 */
final class Backlog {

    static final int BATCHES = 100;

    private Backlog() {
    }

    static void run() throws Exception {
        Path work = Files.createDirectories(WORK.resolve("backlog"));
        S3Proxy store = Cluster.standaloneStore(work);
        try (LocalPostgres postgres = LocalPostgres.start(); LocalBroker broker = LocalBroker.start(work.resolve("broker"));
                SourceFiles.FileServer files = SourceFiles.serve(Files.createDirectories(work.resolve("media")));
                ServiceUnderTest node = ServiceUnderTest.start("backlog-node", "512m", "-Dingest.broker.url=" + broker.url(),
                        "-Dingest.db.url=" + postgres.jdbcUrl(), "-Dingest.db.username=postgres",
                        "-Dingest.store.endpoint=http://127.0.0.1:" + store.getPort(), "-Dingest.node-id=node-0",
                        "-Dingest.concurrency=8", "-Dingest.fetch.per-host-concurrency=2");
                Connection database = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "")) {
            String base = "http://127.0.0.1:" + files.port() + "/hold/";
            for (int batch = 0; batch < BATCHES; batch++) {
                int b = batch;
                String urls = IntStream.range(0, 20).mapToObj(i -> URLEncoder.encode(base + b + "-" + i + ".mp4",
                        StandardCharsets.UTF_8)).collect(Collectors.joining(","));
                node.call("UploadMediaByURL", Map.of("UploadURLs", urls));
            }
            long transactions = transactions(database);
            double cpu = Contenders.Cpu.seconds(node.process.pid());
            for (int second = 1; second <= 20; second++) {
                Thread.sleep(1000);
                long nowTransactions = transactions(database);
                double nowCpu = Contenders.Cpu.seconds(node.process.pid());
                System.out.printf("t=%2d s: %d PostgreSQL transactions, node CPU %.2f s%n", second,
                        nowTransactions - transactions, nowCpu - cpu);
                transactions = nowTransactions;
                cpu = nowCpu;
            }
        } finally {
            store.stop();
        }
    }

    private static long transactions(Connection database) throws SQLException {
        try (Statement s = database.createStatement();
                ResultSet rs = s.executeQuery("SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
