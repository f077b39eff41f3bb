package io.mediaurlingest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;

/**
 * The one database: H2 file by default, PostgreSQL when ingest.db.url says so. The schema
 * is migrated by Flyway at start; the SQL is written once for both.
 */
public final class Database extends ServiceSupport {

    private final HikariConfig config = new HikariConfig();
    private volatile HikariDataSource dataSource;

    /**
     * @param url      ingest.db.url; empty: an H2 file under dataDir
     * @param poolSize ingest.db.pool-size
     */
    public Database(String url, String username, String password, int poolSize, Path dataDir) {
        config.setJdbcUrl(url.isBlank()
                ? "jdbc:h2:file:" + dataDir.resolve("db").resolve("ingest").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE"
                : url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("ingest-db");
    }

    /** Opens the pool and migrates the schema. */
    @Override
    protected void doStart() {
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    /** Runs one statement group on an auto-commit connection. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("database: " + e.getMessage(), e);
        }
    }

    /** Sets a BIGINT parameter that may be null. */
    public static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @Override
    protected void doStop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
