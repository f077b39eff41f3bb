package io.mediaurlingest.workflow;

import io.mediaurlingest.Headers;
import java.util.LinkedHashSet;
import java.util.Set;

import io.mediaurlingest.Ids;
import io.mediaurlingest.api.MetadataRules;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import org.apache.camel.Header;

/** Small helpers for operators' own workflow routes: change the media the workflow runs on. */
public final class WorkflowMedia {

    private final MediaRepository media;

    public WorkflowMedia(MediaRepository media) {
        this.media = media;
    }

    /** Adds comma-separated tags to the media (bean: workflowMedia?method=addTags('reviewed')). */
    public void addTags(@Header(Headers.MEDIA_ID) String mediaId, String tags) {
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new IllegalStateException("media " + mediaId + " is gone"));
        Set<String> all = new LinkedHashSet<>();
        if (m.tags() != null) {
            all.addAll(MetadataRules.split(m.tags()));
        }
        all.addAll(MetadataRules.split(tags));
        media.update(m.withDescriptive(m.title(), m.description(), String.join(",", all), m.coverUrl(), m.cateId(),
                m.businessType(), m.category(), m.userData(), m.referenceId(), Ids.now()));
    }
}
