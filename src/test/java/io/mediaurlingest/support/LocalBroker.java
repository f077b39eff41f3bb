package io.mediaurlingest.support;

import java.nio.file.Path;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * A real ActiveMQ Artemis broker for cluster tests and the cluster benchmark: the server embedded
 * in this JVM, persistent (its journal in a folder of its own), listening on 127.0.0.1 only.
 */
public final class LocalBroker implements AutoCloseable {

    private final ConfigurationImpl config;
    private final int port;
    private EmbeddedActiveMQ server;

    private LocalBroker(ConfigurationImpl config, int port) throws Exception {
        this.config = config;
        this.port = port;
        startServer();
    }

    public static LocalBroker start(Path dir) throws Exception {
        int port = RunningService.freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("media-url-ingest-test-broker");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        config.setSecurityEnabled(false);
        config.addAcceptorConfiguration("loopback", "tcp://127.0.0.1:" + port);
        return new LocalBroker(config, port);
    }

    /** Stops the broker (its clients' connections drop), keeping its journal and port. */
    public void stopServer() throws Exception {
        server.stop();
    }

    /** Starts it again on the same journal and port: what was persisted is back. */
    public void startServer() throws Exception {
        server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
