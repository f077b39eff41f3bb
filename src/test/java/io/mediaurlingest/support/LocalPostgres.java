package io.mediaurlingest.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server on 127.0.0.1 for tests, from Debian's postgresql package
 * (.ci/run installs it): its own cluster in a temporary folder, run as the postgres user
 * (PostgreSQL refuses to run as root, which CI is), stopped and deleted afterwards.
 */
public final class LocalPostgres implements AutoCloseable {

    private final Path dir;
    private final Path bin;
    private final int port;

    private LocalPostgres(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    /** The newest /usr/lib/postgresql/N/bin, or null when the server is not installed. */
    public static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Path::compareTo).orElse(null);
        }
    }

    public static LocalPostgres start() throws Exception {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("PostgreSQL server binaries are not installed (apt-get install postgresql)");
        }
        Path dir = Files.createTempDirectory("ingest-pg");
        dir.toFile().setWritable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.toFile().setReadable(true, false);
        int port = RunningService.freePort();
        asPostgres(bin.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U postgres --no-sync -E UTF8");
        LocalPostgres postgres = new LocalPostgres(dir, bin, port);
        postgres.startServer();
        return postgres;
    }

    /** Stops the server (fast shutdown: open connections are cut), keeping its data and port. */
    public void stopServer() throws Exception {
        asPostgres(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop");
    }

    /** Starts the server again on the same data and port. */
    public void startServer() throws Exception {
        asPostgres(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -w -l " + dir.resolve("log")
                + " -o \"-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static void asPostgres(String command) throws Exception {
        List<String> argv = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.addAll(List.of("bash", "-c", command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            asPostgres(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m immediate -w stop");
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
