package io.mediaurlingest.workflow;

import io.mediaurlingest.Headers;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * The mirror workflow's first step: where the media's object is and where its copy goes
 * (ingest.workflow.mirror.location, same key). The copy itself is two aws2-s3 endpoints in
 * routes/workflows/mirror.camel.yaml: getObject from the source, a streamed putObject to the target.
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

    /**
     * Sets the object's key, length and type (CamelAwsS3*) and the headers SourceLocation,
     * SourceBucket, TargetLocation and TargetBucket the route's endpoints are made of.
     */
    public void prepare(@Header(Headers.MEDIA_ID) String mediaId, Exchange exchange) {
        if (target == null) {
            throw new IllegalStateException("The mirror workflow needs ingest.workflow.mirror.location.");
        }
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        StorageLocation from = locations.get(m.storageLocation());
        StorageLocation to = locations.find(target).orElseThrow(
                () -> new IllegalStateException("ingest.workflow.mirror.location names no storage location: " + target));
        var message = exchange.getMessage();
        message.setHeader(AWS2S3Constants.KEY, m.objectKey());
        message.setHeader(AWS2S3Constants.CONTENT_LENGTH, m.fileSize()); // the put streams: no buffering
        message.setHeader(AWS2S3Constants.CONTENT_TYPE, m.contentType());
        message.setHeader(Headers.SOURCE_LOCATION, from.name());
        message.setHeader(Headers.SOURCE_BUCKET, from.bucket());
        message.setHeader(Headers.TARGET_LOCATION, to.name());
        message.setHeader(Headers.TARGET_BUCKET, to.bucket());
    }
}
