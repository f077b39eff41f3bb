package io.mediaurlingest.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;
import io.mediaurlingest.fetch.AddressNotAllowedException;
import io.mediaurlingest.fetch.GuardedDnsResolver;
import io.mediaurlingest.job.JobIdQueue;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.media.MediaFormats;
import io.mediaurlingest.ops.IngestMetrics;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.workflow.WorkflowRegistry;
import org.apache.camel.Exchange;

/**
 * UploadMediaByURL: validates the whole batch first, then persists one PENDING job per URL
 * in one transaction, and only then answers. The route splits the job ids onto the queue.
 */
public final class UploadMediaByUrl {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadMediaByUrl.class);

    /** Header carrying the new job ids to the split step of the route. */

    static final int MAX_URLS = 20;
    static final int MAX_USER_DATA_BYTES = 512;
    static final int MAX_URL_LENGTH = 8192;
    static final int MAX_ENTRY_BYTES = 12_000;
    static final int MAX_DYNAMIC_META_BYTES = 2048;
    static final int MAX_POST_PROCESS_BYTES = 1024;

    private final Database database;
    private final JobRepository jobs;
    private final StorageLocations locations;
    private final WorkflowRegistry workflows;
    private final GuardedDnsResolver callbackGuard;
    private final JobIdQueue waitingRoom;
    private final NonceStore sessions;
    private final IngestMetrics metrics;

    /**
     * @param waitingRoom the in-memory job queue when ingest.queue.uri uses it (its capacity is
     *        checked before a batch is persisted); null for another queue (a broker's)
     * @param sessions where VOD's SessionIds are taken
     */
    public UploadMediaByUrl(Database database, JobRepository jobs, StorageLocations locations, WorkflowRegistry workflows,
            GuardedDnsResolver callbackGuard, JobIdQueue waitingRoom, NonceStore sessions, IngestMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.database = database;
        this.jobs = jobs;
        this.locations = locations;
        this.workflows = workflows;
        this.callbackGuard = callbackGuard;
        this.waitingRoom = waitingRoom;
    }

    public record UploadJobEntry(@JsonProperty("JobId") String jobId, @JsonProperty("SourceURL") String sourceUrl,
            @JsonProperty("MediaId") String mediaId) {
    }

    public record Reply(@JsonProperty("UploadJobs") List<UploadJobEntry> uploadJobs) {
    }

    public Reply submit(RpcRequest request, Exchange exchange) {
        List<String> urls = sourceUrls(request.required("UploadURLs"));
        String userData = userData(request.optional("UserData").orElse(null));
        checkCallbackAddress(userData);
        Map<String, JsonNode> metaByUrl = mediaMetaData(request.optional("MediaMetaData").orElse(null), urls);
        String storageLocation = storageLocation(request.optional("UploadTargetConfig").orElse(null));
        String postProcess = postProcess(request.optional("PostProcessConfig").orElse(null));
        String appId = identifier("AppId", request.optional("AppId").orElse(request.appScope()));
        String entityId = identifier("EntityId", request.optional("EntityId").orElse(null));
        String sessionId = request.optional("SessionId").orElse(null);
        if (sessionId != null && !sessionId.matches("[A-Za-z0-9_-]{1,50}")) {
            throw ApiException.invalid("SessionId must be 1 to 50 letters, digits, - or _.");
        }
        if (!request.canSee(appId)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "This AccessKey may only use the AppId " + request.appScope() + ".");
        }

        List<UploadJob> batch = new ArrayList<>();
        var now = Ids.now();
        for (String url : urls) {
            JsonNode meta = metaByUrl.get(url);
            String extension = fileExtension(url, meta);
            batch.add(UploadJob.pending(Ids.newId(), Ids.newId(), url, appId, entityId, userData,
                    meta == null ? null : Json.write(meta), extension, storageLocation, postProcess, now, request.family()));
        }
        if (waitingRoom != null && waitingRoom.remainingCapacity() < batch.size()) {
            // refused before a job exists: a batch the queue cannot take is not half-submitted
            throw new ApiException(ErrorCode.THROTTLING, waitingRoom.size() + " jobs are waiting on this node and "
                    + batch.size() + " more do not fit (ingest.queue.capacity); nothing was submitted, retry later.");
        }
        database.inTransaction(c -> {
            if (sessionId != null) {
                sessions.useSessionOnce(c, request.appScope(), sessionId);
            }
            jobs.insertAll(c, batch);
            return null;
        });
        metrics.submitted(batch.size());
        LOG.info("{} job(s) submitted{}", batch.size(), appId == null ? "" : " for AppId " + appId);
        exchange.getMessage().setHeader(Headers.JOB_IDS, batch.stream().map(UploadJob::jobId).toList());
        return new Reply(batch.stream().map(j -> new UploadJobEntry(j.jobId(), j.sourceUrl(), j.mediaId())).toList());
    }

    static List<String> sourceUrls(String uploadUrls) {
        String[] parts = uploadUrls.split(",", -1);
        if (parts.length > MAX_URLS) {
            throw ApiException.invalid("UploadURLs holds " + parts.length + " URLs; at most " + MAX_URLS + " are allowed.");
        }
        List<String> urls = new ArrayList<>();
        for (String part : parts) {
            String url;
            try {
                url = URLDecoder.decode(part.trim(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("UploadURLs: a URL is not correctly URL-encoded: " + part.trim());
            }
            if (url.isEmpty()) {
                throw ApiException.invalid("UploadURLs contains an empty URL.");
            }
            parseUrl(url, "UploadURLs"); // http(s), a host, at most 8192 characters
            urls.add(url);
        }
        return urls;
    }

    /** AppId, EntityId: 1 to 64 letters, digits, and - _ . : */
    static String identifier(String parameter, String value) {
        if (value != null && !value.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw ApiException.invalid(parameter + " must be 1 to 64 letters, digits, or - _ . :");
        }
        return value;
    }

    /** A callback URL that the address guard would refuse is refused now, before any job exists. */
    private void checkCallbackAddress(String userData) {
        if (userData == null) {
            return;
        }
        String url = parseJson(userData, "UserData").path("MessageCallback").path("CallbackURL").asText(null);
        if (url == null) {
            return;
        }
        try {
            callbackGuard.check(URI.create(url).getHost());
        } catch (AddressNotAllowedException e) {
            throw ApiException.invalid("UserData.MessageCallback.CallbackURL points to an address that is not allowed.");
        } catch (java.net.UnknownHostException e) {
            // not resolvable now: delivery retries later, and checks again at every attempt
        }
    }

    static URI parseUrl(String url, String parameter) {
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.invalid(parameter + " is longer than " + MAX_URL_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid(parameter + ": not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.invalid(parameter + ": only http and https URLs are accepted: " + url);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw ApiException.invalid(parameter + ": the URL has no host: " + url);
        }
        return uri;
    }

    static String userData(String text) {
        if (text == null) {
            return null;
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA_BYTES) {
            throw ApiException.invalid("UserData is longer than " + MAX_USER_DATA_BYTES + " bytes.");
        }
        JsonNode node = parseJson(text, "UserData");
        if (!node.isObject()) {
            throw ApiException.invalid("UserData must be a JSON object.");
        }
        JsonNode callback = node.path("MessageCallback").path("CallbackURL");
        if (!callback.isMissingNode() && !callback.isNull()) {
            if (!callback.isTextual()) {
                throw ApiException.invalid("UserData.MessageCallback.CallbackURL must be a string.");
            }
            parseUrl(callback.asText(), "UserData.MessageCallback.CallbackURL");
        }
        return Json.write(node);
    }

    Map<String, JsonNode> mediaMetaData(String text, List<String> urls) {
        Map<String, JsonNode> byUrl = new HashMap<>();
        if (text == null) {
            return byUrl;
        }
        JsonNode node = parseJson(text, "MediaMetaData");
        if (!node.isArray()) {
            throw ApiException.invalid("MediaMetaData must be a JSON array.");
        }
        for (JsonNode entry : node) {
            if (!entry.isObject()) {
                throw ApiException.invalid("MediaMetaData: every entry must be a JSON object.");
            }
            String sourceUrl = string(entry, "SourceURL");
            if (sourceUrl == null || sourceUrl.isBlank()) {
                throw ApiException.missing("MediaMetaData.SourceURL");
            }
            if (!urls.contains(sourceUrl)) {
                throw ApiException.invalid("MediaMetaData.SourceURL matches no URL of UploadURLs: " + sourceUrl);
            }
            if (byUrl.containsKey(sourceUrl)) {
                throw ApiException.invalid("MediaMetaData has two entries for the SourceURL " + sourceUrl);
            }
            String title = string(entry, "Title");
            if (title == null) {
                throw ApiException.missing("MediaMetaData.Title");
            }
            MetadataRules.title("MediaMetaData.Title", title);
            MetadataRules.description("MediaMetaData.Description", string(entry, "Description"));
            MetadataRules.tags("MediaMetaData.Tags", string(entry, "Tags"));
            MetadataRules.coverUrl("MediaMetaData.CoverURL", string(entry, "CoverURL"), locations);
            if (entry.has("CateId")) {
                MetadataRules.cateId("MediaMetaData.CateId", entry.get("CateId").asText());
            }
            if (entry.has("FileSize") && !entry.get("FileSize").asText().matches("\\d{1,19}")) {
                throw ApiException.invalid("MediaMetaData.FileSize must be a whole number of bytes.");
            }
            String workflowId = string(entry, "WorkflowId");
            if (workflowId != null && !workflows.exists(workflowId)) {
                throw ApiException.invalid("MediaMetaData.WorkflowId names no known workflow: " + workflowId);
            }
            if (entry.has("DynamicMetaData") && !(entry.get("DynamicMetaData").isObject()
                    || entry.get("DynamicMetaData").isTextual() && parseJson(entry.get("DynamicMetaData").asText(),
                            "MediaMetaData.DynamicMetaData").isObject())) {
                throw ApiException.invalid("MediaMetaData.DynamicMetaData must be a JSON object.");
            }
            if (entry.has("Md5") && !entry.get("Md5").asText().matches("[0-9a-fA-F]{32}")) {
                throw ApiException.invalid("MediaMetaData.Md5 must be 32 hexadecimal digits.");
            }
            identifier("MediaMetaData.EntityId", string(entry, "EntityId"));
            if (entry.has("DynamicMetaData")) {
                MetadataRules.maxBytes("MediaMetaData.DynamicMetaData", entry.get("DynamicMetaData").toString(),
                        MAX_DYNAMIC_META_BYTES);
            }
            MetadataRules.maxBytes("A MediaMetaData entry", Json.write(entry), MAX_ENTRY_BYTES);
            byUrl.put(sourceUrl, entry);
        }
        return byUrl;
    }

    /** A text field of a JSON entry; refuses numbers, objects and arrays where text is expected. */
    static String string(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.invalid("MediaMetaData." + field + " must be a string.");
        }
        return value.asText();
    }

    String postProcess(String text) {
        if (text == null) {
            return null;
        }
        MetadataRules.maxBytes("PostProcessConfig", text, MAX_POST_PROCESS_BYTES);
        JsonNode node = parseJson(text, "PostProcessConfig");
        if (!node.isObject()) {
            throw ApiException.invalid("PostProcessConfig must be a JSON object.");
        }
        String type = node.path("ProcessType").asText("");
        if (!type.equals("Workflow")) {
            throw ApiException.invalid("PostProcessConfig.ProcessType must be Workflow.");
        }
        String id = node.path("ProcessID").asText("");
        if (id.isEmpty()) {
            throw ApiException.missing("PostProcessConfig.ProcessID");
        }
        if (!workflows.exists(id)) {
            throw ApiException.invalid("PostProcessConfig.ProcessID names no known workflow: " + id);
        }
        return Json.write(node);
    }

    String storageLocation(String text) {
        if (text == null) {
            return locations.defaultName();
        }
        JsonNode node = parseJson(text, "UploadTargetConfig");
        if (!node.isObject()) {
            throw ApiException.invalid("UploadTargetConfig must be a JSON object.");
        }
        String type = node.path("StorageType").asText("");
        if (!type.isEmpty() && !type.equalsIgnoreCase("oss") && !type.equalsIgnoreCase("s3")) {
            throw ApiException.invalid("UploadTargetConfig.StorageType must be oss or s3.");
        }
        String name = node.path("StorageLocation").asText(null);
        if (name == null || name.isBlank()) {
            return locations.defaultName();
        }
        if (!locations.isNamed(name)) {
            throw ApiException.invalid("UploadTargetConfig.StorageLocation names no configured storage location: " + name);
        }
        return name;
    }

    static String fileExtension(String url, JsonNode meta) {
        String declared = meta == null ? null : string(meta, "FileExtension");
        String extension = declared != null && !declared.isBlank() ? MediaFormats.normalise(declared)
                : MediaFormats.extensionOf(URI.create(url)).orElse(null);
        if (extension == null) {
            throw ApiException.invalid("UploadURLs: the URL has no file extension; give MediaMetaData.FileExtension: " + url);
        }
        if (!MediaFormats.isKnown(extension)) {
            throw ApiException.invalid("The file extension " + extension + " is not an audio or video format: " + url);
        }
        return extension;
    }

    static JsonNode parseJson(String text, String parameter) {
        try {
            return Json.read(text);
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(parameter + " is not valid JSON.");
        }
    }
}
