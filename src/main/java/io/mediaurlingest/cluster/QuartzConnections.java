package io.mediaurlingest.cluster;

import java.sql.Connection;
import java.sql.SQLException;

import io.mediaurlingest.Database;
import org.quartz.utils.ConnectionProvider;

/** Quartz's clustered job store on the service's own connection pool (the shared PostgreSQL). */
final class QuartzConnections implements ConnectionProvider {

    private final Database database;

    QuartzConnections(Database database) {
        this.database = database;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (database.dataSource() == null) {
            throw new SQLException("the database is not open yet");
        }
        return database.dataSource().getConnection();
    }

    @Override
    public void shutdown() {
        // the pool is the database bean's, closed with the context
    }

    @Override
    public void initialize() {
        // nothing: the pool opens with the database bean
    }
}
