package io.mediaurlingest;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error policy shared by the YAML and Java routes, by routeConfigurationId:
 * api-errors (ICE error replies), ingest-errors (dead-letter route job-failed),
 * callback-errors (a failed delivery is rescheduled in the outbox).
 */
public final class IngestErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("api-errors")
                .onException(Exception.class).handled(true)
                .bean("rpcFrontDoor", "error");

        routeConfiguration("ingest-errors")
                .errorHandler(deadLetterChannel("direct:job-failed")
                        .maximumRedeliveries(0)
                        .logExhausted(false)
                        .logStackTrace(false));

        routeConfiguration("callback-errors")
                .onException(Exception.class).handled(true)
                .bean("callbackDelivery", "recordError");
    }
}
