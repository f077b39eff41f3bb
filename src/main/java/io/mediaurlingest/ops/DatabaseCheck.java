package io.mediaurlingest.ops;

import io.mediaurlingest.Database;

/** Readiness: the database answers a query. */
final class DatabaseCheck extends DependencyCheck {

    private final Database database;

    DatabaseCheck(Database database) {
        super("database");
        this.database = database;
    }

    @Override
    String probe() {
        return database.withConnection(c -> {
            if (!c.isValid((int) TIMEOUT.toSeconds())) {
                throw new java.sql.SQLException("the connection is not valid");
            }
            return c.getMetaData().getDatabaseProductName() + " answers";
        });
    }
}
