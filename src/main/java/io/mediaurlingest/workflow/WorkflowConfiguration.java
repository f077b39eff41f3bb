package io.mediaurlingest.workflow;


import io.mediaurlingest.Database;
import io.mediaurlingest.RegistryBinding;
import io.mediaurlingest.Settings;
import io.mediaurlingest.callback.EventOutbox;
import io.mediaurlingest.media.FrameGrabber;
import io.mediaurlingest.media.LocalMediaFile;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;

/**
 * Post-upload workflows: workflowRegistry (the direct:workflow-{id} routes), workflowRunner
 * (state and events around them), and the beans of the built-ins and of operators' workflows:
 * snapshotMaker, mirrorCopier, workflowMedia.
 */
public final class WorkflowConfiguration implements CamelConfiguration {

    @PropertyInject("ingest.data-dir")
    String dataDir;
    @PropertyInject("ingest.media.timeout")
    String mediaTimeout;
    @PropertyInject("ingest.workflow.mirror.location")
    String mirrorLocation;

    @Override
    public void configure(CamelContext context) throws Exception {
        Database database = RegistryBinding.lookup(context, "database", Database.class);
        MediaRepository media = RegistryBinding.lookup(context, "mediaRepository", MediaRepository.class);
        StorageLocations locations = RegistryBinding.lookup(context, "storageLocations", StorageLocations.class);
        RegistryBinding.bindIfAbsent(context, "workflowRegistry", WorkflowRegistry.class, () -> new WorkflowRegistry(context));
        RegistryBinding.bindIfAbsent(context, "workflowRunner", WorkflowRunner.class,
                () -> new WorkflowRunner(database, media, RegistryBinding.lookup(context, "eventOutbox", EventOutbox.class),
                        RegistryBinding.lookup(context, "ingestMetrics", IngestMetrics.class)));
        RegistryBinding.bindIfAbsent(context, "snapshotMaker", SnapshotMaker.class, () -> new SnapshotMaker(media, locations,
                java.nio.file.Path.of(dataDir).resolve("tmp"),
                LocalMediaFile.librariesLoad() ? new FrameGrabber(Settings.parseDuration(mediaTimeout)) : null));
        RegistryBinding.bindIfAbsent(context, "mirrorCopier", MirrorCopier.class,
                () -> new MirrorCopier(media, locations, Settings.orNull(mirrorLocation)));
        RegistryBinding.bindIfAbsent(context, "workflowMedia", WorkflowMedia.class, () -> new WorkflowMedia(media));
    }
}
