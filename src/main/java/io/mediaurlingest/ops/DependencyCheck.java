package io.mediaurlingest.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check of something the service needs (the database, a store, disk space): UP
 * with what it saw, DOWN with why. The probe runs on a thread of its own and gets
 * {@link #TIMEOUT}: a dependency that hangs reads DOWN instead of holding the health request.
 * Not a liveness check: restarting the service does not bring a database back.
 */
abstract class DependencyCheck extends AbstractHealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    DependencyCheck(String id) {
        super("ingest", id);
    }

    /** Looks at the dependency; returns what it saw, throws when it is not usable. */
    abstract String probe() throws Exception;

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CompletableFuture<String> probe = CompletableFuture.supplyAsync(() -> {
            try {
                return probe();
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, task -> {
            Thread thread = new Thread(task, "health-" + getId());
            thread.setDaemon(true);
            thread.start();
        });
        try {
            builder.detail("observed", probe.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).up();
        } catch (TimeoutException e) {
            builder.message(getId() + " did not answer within " + TIMEOUT.toSeconds() + " s").down();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
            builder.message(getId() + " is down: " + cause.getMessage()).down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted").down();
        }
    }
}
