package io.mediaurlingest.api;

import java.net.InetAddress;
import java.nio.file.Path;

import io.mediaurlingest.Database;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.fetch.GuardedDnsResolver;
import io.mediaurlingest.fetch.HeaderCipher;
import io.mediaurlingest.job.JobIdQueue;
import io.mediaurlingest.job.JobLifecycle;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.workflow.WorkflowRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC API: its HTTP details (iceHttpBinding, apiRequestTimeout), the front door with the
 * AccessKeys (rpcFrontDoor, nonceStore), and the actions: ICE's (uploadMediaByUrl, uploadJobActions,
 * mediaActions, callbackEventActions) and ApsaraVideo VOD's (vodUploadActions, vodVideoActions). Refuses to start an unsigned API on a network address.
 */
public final class ApiConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiConfiguration.class);

    @PropertyInject("ingest.api.host")
    String host;
    @PropertyInject("ingest.api.endpoint")
    String endpoint;
    @PropertyInject("ingest.queue.uri")
    String queueUri;
    @PropertyInject("ingest.api.request-timeout")
    String requestTimeout;
    @PropertyInject("ingest.auth.access-key-id")
    String accessKeyId;
    @PropertyInject("ingest.auth.access-key-secret")
    String accessKeySecret;
    @PropertyInject("ingest.auth.keys-file")
    String keysFile;
    @PropertyInject("ingest.store.presign-expiry")
    String presignExpiry;

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        JobRepository jobs = RegistryBinding.lookup(context, "jobRepository", JobRepository.class);
        StorageLocations locations = RegistryBinding.lookup(context, "storageLocations", StorageLocations.class);
        WorkflowRegistry workflows = RegistryBinding.lookup(context, "workflowRegistry", WorkflowRegistry.class);
        AccessKeys keys = AccessKeys.of(Settings.orNull(accessKeyId), Settings.orNull(accessKeySecret),
                Settings.orNull(keysFile) == null ? null : Path.of(keysFile));
        checkAccess(keys);
        NonceStore nonces = RegistryBinding.bindIfAbsent(context, "nonceStore", NonceStore.class, () -> new NonceStore(database));
        RegistryBinding.bindIfAbsent(context, "iceHttpBinding", LenientNettyHttpBinding.class, LenientNettyHttpBinding::new);
        RegistryBinding.bindIfAbsent(context, "consoleFiles", io.mediaurlingest.console.ConsoleFiles.class,
                io.mediaurlingest.console.ConsoleFiles::new);
        RegistryBinding.bindIfAbsent(context, "apiRequestTimeout", RequestTimeout.class,
                () -> new RequestTimeout(Settings.parseDuration(requestTimeout)));
        RegistryBinding.bindIfAbsent(context, "rpcFrontDoor", RpcFrontDoor.class,
                () -> new RpcFrontDoor(new RpcAuthenticator(keys, nonces)));
        // the default in-memory queue has a capacity a submit can check; a broker's queue does not say
        JobIdQueue waitingRoom = queueUri.contains("#ingestJobQueue")
                ? RegistryBinding.lookup(context, "ingestJobQueue", JobIdQueue.class) : null;
        UploadMediaByUrl submit = RegistryBinding.bindIfAbsent(context, "uploadMediaByUrl", UploadMediaByUrl.class, () -> new UploadMediaByUrl(database,
                jobs, locations, workflows, RegistryBinding.lookup(context, "callbackResolver", GuardedDnsResolver.class),
                waitingRoom, nonces, RegistryBinding.bindIfAbsent(context, "clientTokens", ClientTokens.class,
                        () -> new ClientTokens(database)), RegistryBinding.lookup(context, "headerCipher", HeaderCipher.class),
                RegistryBinding.lookup(context, "ingestMetrics", IngestMetrics.class),
                RegistryBinding.lookup(context, "jobLifecycle", JobLifecycle.class)));
        RegistryBinding.bindIfAbsent(context, "uploadJobActions", UploadJobActions.class,
                () -> new UploadJobActions(jobs, RegistryBinding.lookup(context, "jobLifecycle", JobLifecycle.class)));
        MediaRepository media = RegistryBinding.lookup(context, "mediaRepository", MediaRepository.class);
        MediaActions library = RegistryBinding.bindIfAbsent(context, "mediaActions", MediaActions.class,
                () -> new MediaActions(media, locations, workflows, Settings.parseDuration(presignExpiry)));
        RegistryBinding.bindIfAbsent(context, "vodUploadActions", VodUploadActions.class, () -> new VodUploadActions(submit));
        RegistryBinding.bindIfAbsent(context, "vodVideoActions", VodVideoActions.class,
                () -> new VodVideoActions(media, jobs, locations, library));
        RegistryBinding.bindIfAbsent(context, "callbackEventActions", CallbackEventActions.class,
                () -> new CallbackEventActions(RegistryBinding.lookup(context, "eventOutbox", EventOutbox.class)));
    }

    /** Unsigned access is only for loopback: an open API on a network address is refused at start. */
    private void checkAccess(AccessKeys keys) throws Exception {
        if (!keys.isEmpty()) {
            LOG.info("AccessKeys configured: every API call must be signed");
            return;
        }
        boolean servesHttp = !endpoint.startsWith("direct:");
        if (servesHttp && !InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalStateException("ingest.api.host is " + host + " but no AccessKey is configured: "
                    + "set ingest.auth.access-key-id and ingest.auth.access-key-secret (or ingest.auth.keys-file), "
                    + "or listen on 127.0.0.1");
        }
        LOG.warn("No AccessKey configured (ingest.auth.access-key-id): the API accepts unsigned calls "
                + "and listens on {} only", host);
    }
}
