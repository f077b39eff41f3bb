package io.mediaurlingest.cluster;

import java.util.Properties;

import io.mediaurlingest.Database;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * Cluster mode, when ingest.broker.url is set: the jms component on the Artemis broker (pooled
 * connections), the three queues (jobs, event deliveries, workflow requests) moved onto it, and
 * camel-quartz on Quartz's clustered JDBC job store in the shared PostgreSQL, so that the sweeps
 * of sweeps.camel.yaml fire once per period for the whole cluster. Without a broker it does
 * nothing: one node, in-memory queues, Quartz in memory.
 */
public final class ClusterConfiguration implements CamelConfiguration {

    /** The queue settings a cluster replaces with its broker queues. */
    private static final String[][] QUEUES = {
        {"ingest.queue.uri", "ingest.cluster.queue-uri"},
        {"ingest.queue.later-uri", "ingest.cluster.later-queue-uri"},
        {"ingest.callback.queue.uri", "ingest.cluster.callback-queue-uri"},
        {"ingest.workflow.queue.uri", "ingest.cluster.workflow-queue-uri"},
    };

    @PropertyInject("ingest.broker.url")
    String brokerUrl;
    @PropertyInject("ingest.broker.username")
    String username;
    @PropertyInject("ingest.broker.password")
    String password;
    @PropertyInject("ingest.broker.connections")
    int connections;
    @PropertyInject("ingest.db.url")
    String dbUrl;
    @PropertyInject("ingest.store.endpoint")
    String storeEndpoint;
    @PropertyInject("ingest.cluster.checkin-interval")
    String checkinInterval;

    /** Whether the context runs as one node of a cluster (ingest.broker.url set). */
    public static boolean isCluster(CamelContext context) {
        return !context.getPropertiesComponent().resolveProperty("ingest.broker.url").orElse("").isBlank();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        if (brokerUrl.isBlank()) {
            return;
        }
        if (!dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("ingest.broker.url is set (cluster mode), but the database is "
                    + (dbUrl.isBlank() ? "this node's own H2 file" : dbUrl) + ": every node of a cluster must use"
                    + " the same PostgreSQL, set ingest.db.url=jdbc:postgresql://host/db (README, Run a cluster)");
        }
        if (storeEndpoint.isBlank()) {
            throw new IllegalStateException("ingest.broker.url is set (cluster mode), but the store is this node's"
                    + " embedded one: every node of a cluster must use the same S3 endpoint, set ingest.store.endpoint"
                    + " (README, Run a cluster)");
        }
        PropertiesComponent properties = context.getPropertiesComponent();
        for (String[] queue : QUEUES) {
            properties.addOverrideProperty(queue[0], properties.resolveProperty(queue[1]).orElseThrow());
        }
        context.addComponent("jms", JmsComponent.jmsComponent(
                RegistryBinding.bindIfAbsent(context, "brokerConnections", JmsPoolConnectionFactory.class, this::pool)));
        configureQuartz(context);
    }

    private JmsPoolConnectionFactory pool() {
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(brokerUrl,
                username.isBlank() ? null : username, password.isBlank() ? null : password);
        // no messages buffered in a consumer: a job id waits on the broker until a worker of some
        // node is free, so the nodes share the work instead of the first one taking a window of it
        broker.setConsumerWindowSize(0);
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(broker);
        pool.setMaxConnections(connections);
        return pool;
    }

    private void configureQuartz(CamelContext context) {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        String dataSource = "media-url-ingest";
        DBConnectionManager.getInstance().addConnectionProvider(dataSource, new QuartzConnections(database));
        Properties quartz = new Properties();
        quartz.setProperty("org.quartz.scheduler.instanceName", context.getName());
        quartz.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        quartz.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        quartz.setProperty("org.quartz.threadPool.threadCount", "2");
        quartz.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        quartz.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        quartz.setProperty("org.quartz.jobStore.dataSource", dataSource);
        quartz.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        quartz.setProperty("org.quartz.jobStore.isClustered", "true");
        quartz.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                String.valueOf(Settings.parseDuration(checkinInterval).toMillis()));
        context.getComponent("quartz", QuartzComponent.class).setProperties(quartz);
    }
}
