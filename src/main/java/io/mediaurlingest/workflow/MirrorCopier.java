package io.mediaurlingest.workflow;

import io.mediaurlingest.Headers;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.Header;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The mirror workflow's step: the stored object is copied, streaming, to a second storage
 * location (ingest.workflow.mirror.location) under the same key.
 */
public final class MirrorCopier {

    private final MediaRepository media;
    private final StorageLocations locations;
    private final String target;

    public MirrorCopier(MediaRepository media, StorageLocations locations, String target) {
        this.media = media;
        this.locations = locations;
        this.target = target;
    }

    public String mirror(@Header(Headers.MEDIA_ID) String mediaId) {
        if (target == null) {
            throw new IllegalStateException("The mirror workflow needs ingest.workflow.mirror.location.");
        }
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        StorageLocation from = locations.get(m.storageLocation());
        StorageLocation to = locations.find(target).orElseThrow(
                () -> new IllegalStateException("ingest.workflow.mirror.location names no storage location: " + target));
        try (var object = from.s3().getObject(b -> b.bucket(from.bucket()).key(m.objectKey()))) {
            to.s3().putObject(b -> b.bucket(to.bucket()).key(m.objectKey()).contentType(m.contentType())
                    .contentLength(m.fileSize()), RequestBody.fromInputStream(object, m.fileSize()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not read the stored object: " + e.getMessage(), e);
        }
        return to.objectUrl(m.objectKey());
    }
}
