package io.mediaurlingest;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error policy shared by the YAML and Java routes, by routeConfigurationId:
 * api-errors (ICE error replies), api-actions (errors go back to the calling API route), ingest-errors (redelivery, then the dead-letter route job-failed),
 * callback-errors (a failed delivery is rescheduled in the outbox), sweep-errors (a sweep skips a
 * period while the database is away).
 */
public final class IngestErrorHandling extends RouteConfigurationBuilder {

    private final long firstDelayMillis;
    private final long maxDelayMillis;

    /**
     * @param firstDelayMillis wait before the second attempt; it doubles, with jitter, up to maxDelayMillis
     */
    public IngestErrorHandling(long firstDelayMillis, long maxDelayMillis) {
        this.firstDelayMillis = firstDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    public void configuration() {
        routeConfiguration("api-errors")
                .onException(Exception.class).handled(true)
                .bean("rpcFrontDoor", "error");

        // an action route's failure goes back to the front door's route, which replies with it
        routeConfiguration("api-actions")
                .errorHandler(noErrorHandler());

        // transient failures are redelivered to the failing step (the download resumes where it
        // stopped) while RetryPolicy says so (it counts attempts in the database, against
        // ingest.fetch.max-attempts: retryWhile decides, so no maximumRedeliveries here); the
        // rest, and exhausted jobs, go to job-failed
        routeConfiguration("ingest-errors")
                .errorHandler(deadLetterChannel("direct:job-failed")
                        .retryWhile(method("retryPolicy", "shouldRetry"))
                        .redeliveryDelay(firstDelayMillis)
                        .useExponentialBackOff()
                        .backOffMultiplier(2)
                        .useCollisionAvoidance()
                        .maximumRedeliveryDelay(maxDelayMillis)
                        .asyncDelayedRedelivery()
                        .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.DEBUG)
                        .logExhausted(false)
                        .logStackTrace(false));

        // a failed workflow is recorded on the media and reported; the media stays usable
        routeConfiguration("workflow-errors")
                .onException(Exception.class).handled(true)
                .bean("workflowRunner", "failed")
                .to("direct:send-event");

        // a sweep that finds the database away waits for its next period, with one line in the log
        routeConfiguration("sweep-errors")
                .onException(Database.UnavailableException.class).handled(true)
                .log(org.apache.camel.LoggingLevel.WARN, "Sweep ${routeId} skipped: ${exception.message}");

        routeConfiguration("callback-errors")
                .onException(Exception.class).handled(true)
                .bean("callbackDelivery", "recordError");
    }
}
