package io.mediaurlingest.callback;

import java.time.Duration;

import io.mediaurlingest.Database;
import io.mediaurlingest.HostSlots;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import io.mediaurlingest.cluster.ClusterConfiguration;
import io.mediaurlingest.fetch.AddressGuard;
import io.mediaurlingest.fetch.GuardedDnsResolver;
import io.mediaurlingest.ops.IngestMetrics;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * Events and their delivery: eventOutbox, callbackResolver (the callbacks' address guard, also
 * used to refuse a CallbackURL at submit), callbackConnections (the HTTP client's pool, every
 * connection through the guard) and callbackDelivery.
 */
public final class CallbackConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.callback.default-url")
    String defaultUrl;
    @PropertyInject("ingest.callback.allow-private-networks")
    boolean allowPrivateNetworks;
    @PropertyInject("ingest.callback.allowed-networks")
    String allowedNetworks;
    @PropertyInject("ingest.callback.timeout")
    String timeout;
    @PropertyInject("ingest.callback.per-host-concurrency")
    int perHostConcurrency;
    @PropertyInject("ingest.callback.retry-schedule")
    String retrySchedule;
    @PropertyInject("ingest.callback.auth-key")
    String authKey;
    @PropertyInject("ingest.callback.webhook-secret")
    String webhookSecret;
    @PropertyInject("ingest.callback.format")
    String format;
    @PropertyInject("ingest.callback.user-id")
    long userId;

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        EventOutbox outbox = RegistryBinding.bindIfAbsent(context, "eventOutbox", EventOutbox.class,
                () -> new EventOutbox(database, Settings.orNull(defaultUrl), new EventShape(format, userId)));
        GuardedDnsResolver resolver = RegistryBinding.bindIfAbsent(context, "callbackResolver", GuardedDnsResolver.class,
                () -> new GuardedDnsResolver(new AddressGuard(allowPrivateNetworks, AddressGuard.networks(allowedNetworks))));
        Duration timeout = Settings.parseDuration(this.timeout);
        RegistryBinding.bindIfAbsent(context, "callbackConnections", PoolingHttpClientConnectionManager.class,
                () -> PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(timeout))
                                .setSocketTimeout(Timeout.of(timeout))
                                .build())
                        .build());
        RegistryBinding.bindIfAbsent(context, "callbackDelivery", CallbackDelivery.class, () -> new CallbackDelivery(outbox,
                new CallbackSigner(Settings.orNull(authKey), Settings.orNull(webhookSecret)),
                new HostSlots(perHostConcurrency), ClusterConfiguration.isCluster(context) ? perHostConcurrency : 0, timeout,
                Settings.list(retrySchedule).stream().map(Settings::parseDuration).toList(),
                RegistryBinding.lookup(context, "ingestMetrics", IngestMetrics.class)));
    }
}
