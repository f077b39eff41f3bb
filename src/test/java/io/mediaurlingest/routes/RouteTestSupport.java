package io.mediaurlingest.routes;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.mediaurlingest.ApiFamily;
import io.mediaurlingest.Database;
import io.mediaurlingest.Ids;
import io.mediaurlingest.MediaUrlIngest;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * The real bundle (application.properties, the YAML flows, every capability's configuration)
 * in camel-main, without its outside parts: an in-memory database, no HTTP server (the API is
 * direct:ice-api), a synchronous job queue (direct:ingest-jobs), a store that is never started
 * (each test replaces the steps that would use it) and a clock the test moves. Each test
 * advises the routes it looks at, then starts the context.
 */
abstract class RouteTestSupport extends CamelMainTestSupport {

    final SettableClock clock = new SettableClock();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        // the seda consumers end their 1 s polls one after another: a test needs no graceful wait
        configuration.withShutdownTimeout(1);
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "classpath:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.setProperty("ingest.api.endpoint", "direct:ice-api");
        p.setProperty("ingest.queue.uri", "direct:ingest-jobs");
        p.setProperty("camel.management.enabled", "false"); // no HTTP server here: route tests run side by side
        // the flows under test; the periodic ones (sweeps) are called by the tests that need them
        p.setProperty("ingest.routes", "classpath:routes/api.camel.yaml,classpath:routes/ingest.camel.yaml,"
                + "classpath:routes/callbacks.camel.yaml,classpath:routes/workflows.camel.yaml");
        p.setProperty("ingest.db.url", "jdbc:h2:mem:routes-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        p.setProperty("ingest.data-dir", System.getProperty("java.io.tmpdir") + "/route-tests");
        p.setProperty("ingest.fetch.max-attempts", "3");
        p.setProperty("ingest.fetch.retry-delay", "1ms");
        p.setProperty("ingest.fetch.max-retry-delay", "5ms");
        return p;
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        // stubs first: the bundle's configurations keep what is bound already
        configuration.addConfiguration(new CamelConfiguration() {
            @Override
            public void configure(CamelContext context) {
                context.getRegistry().bind("clock", clock);
                context.getRegistry().bind("storageLocations", new StorageLocations(List.of(new StorageLocations.Spec(
                        "local-vod", URI.create("http://127.0.0.1:9"), "us-east-1", "k", "s", "vod")), null,
                        Duration.ofHours(24)));
            }
        });
        configuration.addRoutesBuilder(new MediaUrlIngest());
    }

    JobRepository jobs() {
        return context.getRegistry().lookupByNameAndType("jobRepository", JobRepository.class);
    }

    /** A PENDING job as UploadMediaByURL would have written it. */
    UploadJob pendingJob(String sourceUrl, String postProcess) {
        UploadJob job = UploadJob.pending(Ids.newId(), Ids.newId(), sourceUrl, null, null, null, "{}", "mp4", "local-vod",
                postProcess, Ids.now(clock), ApiFamily.ICE, null);
        Database database = context.getRegistry().lookupByNameAndType("database", Database.class);
        database.inTransaction(c -> {
            jobs().insertAll(c, List.of(job));
            return null;
        });
        return job;
    }
}
