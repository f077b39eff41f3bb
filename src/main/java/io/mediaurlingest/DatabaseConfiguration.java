package io.mediaurlingest;

import java.nio.file.Path;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/** The one database (bean database): an H2 file under ingest.data-dir, or ingest.db.url. */
public final class DatabaseConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.data-dir")
    String dataDir;
    @PropertyInject("ingest.db.url")
    String url;
    @PropertyInject("ingest.db.username")
    String username;
    @PropertyInject("ingest.db.password")
    String password;
    @PropertyInject("ingest.db.pool-size")
    int poolSize;
    @PropertyInject("ingest.db.connection-timeout")
    String connectionTimeout;

    @Override
    public void configure(CamelContext context) throws Exception {
        RegistryBinding.bindIfAbsent(context, "database", Database.class,
                () -> new Database(url, username, password, poolSize,
                        Settings.parseDuration(connectionTimeout), Path.of(dataDir)));
    }
}
