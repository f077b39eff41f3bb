package io.mediaurlingest.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.Json;
import io.mediaurlingest.fetch.SourceUrls;
import io.mediaurlingest.media.MediaFormats;
import org.apache.camel.Exchange;

/**
 * ApsaraVideo VOD's UploadMediaByURL (Version 2017-03-21), read as the ICE call it amounts to and
 * submitted by the same UploadMediaByUrl: UploadMetadatas become MediaMetaData, StorageLocation
 * becomes UploadTargetConfig, WorkflowId becomes PostProcessConfig. GetURLUploadInfos and
 * CancelUrlUploadJobs have the same parameters and replies in both families (UploadJobActions).
 */
public final class VodUploadActions {

    private final UploadMediaByUrl submit;

    public VodUploadActions(UploadMediaByUrl submit) {
        this.submit = submit;
    }

    /** VOD's reply item; VideoId (the MediaId) is an extension: VOD users otherwise poll for it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UploadJob(@JsonProperty("JobId") String jobId, @JsonProperty("SourceURL") String sourceUrl,
            @JsonProperty("VideoId") String videoId) {
    }

    public record Reply(@JsonProperty("UploadJobs") List<UploadJob> uploadJobs) {
    }

    public Reply uploadMediaByUrl(RpcRequest request, Exchange exchange) {
        Map<String, String> ice = new LinkedHashMap<>();
        copy(request, ice, "UploadURLs", "AppId", "UserData", "SessionId");
        request.optional("StorageLocation").ifPresent(location -> ice.put("UploadTargetConfig",
                Json.write(Json.MAPPER.createObjectNode().put("StorageLocation", location))));
        request.optional("WorkflowId").ifPresent(id -> ice.put("PostProcessConfig",
                Json.write(Json.MAPPER.createObjectNode().put("ProcessType", "Workflow").put("ProcessID", id))));
        String templateGroupId = request.optional("TemplateGroupId").orElse(null);
        if (templateGroupId != null) {
            MetadataRules.maxBytes("TemplateGroupId", templateGroupId, 64);
        }
        request.optional("UploadMetadatas").ifPresent(text -> ice.put("MediaMetaData",
                Json.write(mediaMetaData(text, templateGroupId))));
        UploadMediaByUrl.Reply reply = submit.submit(request.withParameters(ice), exchange);
        return new Reply(reply.uploadJobs().stream()
                .map(j -> new UploadJob(j.jobId(), j.sourceUrl(), j.mediaId())).toList());
    }

    /**
     * UploadMetadatas as MediaMetaData entries: the same field names, with a Title from the
     * file name where VOD's caller gave none (ICE requires one), and the call's TemplateGroupId
     * kept on each entry that names none (an uploading video's GetVideoInfo shows it; nothing is
     * transcoded here).
     */
    private static ArrayNode mediaMetaData(String text, String templateGroupId) {
        JsonNode node = UploadMediaByUrl.parseJson(text, "UploadMetadatas");
        if (!node.isArray()) {
            throw ApiException.invalid("UploadMetadatas must be a JSON array.");
        }
        ArrayNode entries = Json.MAPPER.createArrayNode();
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw ApiException.invalid("UploadMetadatas: every entry must be a JSON object.");
            }
            ObjectNode copy = ((ObjectNode) entry).deepCopy();
            if (!copy.hasNonNull("Title") && copy.path("SourceURL").isTextual()) {
                copy.put("Title", titleOf(copy.get("SourceURL").asText()));
            }
            if (templateGroupId != null && !copy.has("TemplateGroupId")) {
                copy.put("TemplateGroupId", templateGroupId);
            }
            entries.add(copy);
        }
        return entries;
    }

    /** The file name without its extension, as VOD titles a video uploaded without one. */
    static String titleOf(String url) {
        String name = MediaFormats.baseNameOf(SourceUrls.uri(url));
        return name == null || name.isBlank() ? "video" : name.length() > 128 ? name.substring(0, 128) : name;
    }

    private static void copy(RpcRequest request, Map<String, String> to, String... names) {
        for (String name : names) {
            request.optional(name).ifPresent(value -> to.put(name, value));
        }
    }
}
