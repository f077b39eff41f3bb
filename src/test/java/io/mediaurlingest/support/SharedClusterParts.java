package io.mediaurlingest.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mediaurlingest.store.EmbeddedS3Store;

/**
 * What the nodes of a cluster share, all real and on loopback: a throw-away PostgreSQL, an
 * Artemis broker and an S3 endpoint (S3Proxy on a port of its own, not a node's embedded store).
 */
public final class SharedClusterParts implements AutoCloseable {

    private final LocalPostgres postgres;
    private final LocalBroker broker;
    private final EmbeddedS3Store store;

    private SharedClusterParts(LocalPostgres postgres, LocalBroker broker, EmbeddedS3Store store) {
        this.postgres = postgres;
        this.broker = broker;
        this.store = store;
    }

    public static SharedClusterParts start(Path dir) throws Exception {
        EmbeddedS3Store store = new EmbeddedS3Store(dir.resolve("store"), "127.0.0.1", 0, "cluster-id", "cluster-secret");
        store.start();
        LocalPostgres postgres = LocalPostgres.start();
        return new SharedClusterParts(postgres, LocalBroker.start(dir.resolve("broker")), store);
    }

    /** A node's settings for these parts (loopback sources and receivers allowed). */
    public Map<String, String> nodeSettings() {
        Map<String, String> settings = new HashMap<>(RunningService.loopbackAllowed());
        settings.put("ingest.broker.url", broker.url());
        settings.put("ingest.db.url", postgres.jdbcUrl());
        settings.put("ingest.db.username", "postgres");
        settings.put("ingest.store.endpoint", store.endpoint().toString());
        settings.put("ingest.store.access-key-id", "cluster-id");
        settings.put("ingest.store.secret-access-key", "cluster-secret");
        return settings;
    }

    public LocalBroker broker() {
        return broker;
    }

    /** The number a counting query gives on the shared database. */
    public long count(String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
                ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the rows a query gives on the shared database. */
    public List<String> column(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
                ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The rows a query gives on the shared database, as text (for a failure's message). */
    public String rows(String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
                ResultSet rs = db.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                out.append('[');
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.append(i > 1 ? ", " : "").append(rs.getString(i));
                }
                out.append(']');
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        try (postgres; broker) {
            store.stop();
        }
    }
}
