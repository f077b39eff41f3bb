package io.mediaurlingest;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

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
     * @param connectionTimeout ingest.db.connection-timeout
     */
    public Database(String url, String username, String password, int poolSize, java.time.Duration connectionTimeout,
            Path dataDir) {
        config.setJdbcUrl(url.isBlank()
                // WRITE_DELAY=0: a commit reaches the file before it returns (H2 would otherwise hold it
                // up to half a second, and a process killed then loses jobs it already reported ended).
                // The commit's write then runs on the caller's thread: retry: reopens the file and writes
                // again when that thread is interrupted (a forced shutdown's is), which would otherwise
                // close the database file for every thread
                ? "jdbc:h2:retry:" + dataDir.resolve("db").resolve("ingest").toAbsolutePath()
                        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                : url);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("ingest-db");
        config.setConnectionTimeout(connectionTimeout.toMillis());
    }

    /** Opens the pool and migrates the schema. */
    @Override
    protected void doStart() {
        Ids.useTimeOrdered(config.getJdbcUrl().startsWith("jdbc:h2:")); // the ids this database wants (see Ids)
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
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed); // the connection broke: the first failure says why
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Runs one statement group on an auto-commit connection. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The database could not be reached (no connection within the timeout, or the connection
     * broke): the caller may wait and try again; the work was not done (its transaction, if any,
     * was not committed).
     */
    public static final class UnavailableException extends IllegalStateException {
        UnavailableException(SQLException cause) {
            // the innermost reason only: a failed batch's own message quotes its statement and values
            super("the database is unavailable: " + innermost(cause).getMessage(), cause);
        }

        private static Throwable innermost(Throwable failure) {
            Throwable t = failure;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t;
        }
    }

    /** True when the failure, or one it was caused by, is the database being away. */
    /** Whether a failure is a unique-key violation (SQLState 23505 on H2 and PostgreSQL alike). */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnavailableException) {
                return true;
            }
        }
        return false;
    }

    private static IllegalStateException failure(SQLException e) {
        return lostConnection(e) ? new UnavailableException(e) : new IllegalStateException("database: " + e.getMessage(), e);
    }

    /** A failure (or one inside it: a batch's, a cause) of the connection, not of the statement. */
    private static boolean lostConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                // SQLState class 08: connection exception; 57P: the server shut down or is starting
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P")
                        || (sql.getNextException() != null && lostConnection(sql.getNextException()))) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ statements (as db-scheduler's JdbcRunner)

    /** Reads the current row of a result into a value. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** An INSERT, UPDATE or DELETE on the caller's connection (its transaction); null parameters are SQL NULL. */
    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            return ps.executeUpdate();
        }
    }

    /**
     * One statement for many rows (a JDBC batch): prepared once, sent once. A batch of 20 URLs is one
     * round trip instead of 20 statements parsed one after another.
     */
    public static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** An INSERT, UPDATE or DELETE on its own auto-commit connection. */
    public int update(String sql, Object... parameters) {
        return withConnection(c -> update(c, sql, parameters));
    }

    /** The rows of a SELECT on the caller's connection, at most maxRows of them (0: all). */
    public static <T> List<T> query(Connection c, int maxRows, String sql, RowMapper<T> mapper, Object... parameters)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, parameters);
            ps.setMaxRows(maxRows);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        }
    }

    /** The rows of a SELECT on its own connection. */
    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        return withConnection(c -> query(c, 0, sql, mapper, parameters));
    }

    /** The first row of a SELECT, if any. */
    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... parameters) {
        return withConnection(c -> query(c, 1, sql, mapper, parameters)).stream().findFirst();
    }

    /** "?, ?, ?" for an IN list of n values. */
    public static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement ps, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else {
                ps.setObject(i + 1, parameters[i]);
            }
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
