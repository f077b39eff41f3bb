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

    private final HikariDataSource dataSource;

    public Database(Settings settings, Path dataDir) {
        HikariConfig config = new HikariConfig();
        String url = settings.optional("ingest.db.url")
                .orElse("jdbc:h2:file:" + dataDir.resolve("db").resolve("ingest").toAbsolutePath()
                        + ";DB_CLOSE_ON_EXIT=FALSE");
        config.setJdbcUrl(url);
        config.setUsername(settings.string("ingest.db.username", "sa"));
        config.setPassword(settings.string("ingest.db.password", ""));
        config.setMaximumPoolSize(settings.integer("ingest.db.pool-size", 10));
        config.setPoolName("ingest-db");
        this.dataSource = new HikariDataSource(config);
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
        dataSource.close();
    }
}
