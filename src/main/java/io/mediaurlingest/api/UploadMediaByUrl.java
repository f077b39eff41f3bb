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
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediaurlingest.Database;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Headers;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;
import io.mediaurlingest.fetch.AddressNotAllowedException;
import io.mediaurlingest.fetch.GuardedDnsResolver;
import io.mediaurlingest.fetch.HeaderCipher;
import io.mediaurlingest.fetch.SourceHeaders;
import io.mediaurlingest.fetch.SourceUrls;
import io.mediaurlingest.job.JobIdQueue;
import io.mediaurlingest.job.JobLifecycle;
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
    private final ClientTokens clientTokens;
    private final HeaderCipher cipher;
    private final IngestMetrics metrics;
    private final JobLifecycle lifecycle;

    /**
     * @param waitingRoom the in-memory job queue when ingest.queue.uri uses it (its capacity is
     *        checked before a batch is persisted); null for another queue (a broker's)
     * @param sessions where VOD's SessionIds are taken
     * @param clientTokens where ClientTokens and their replies are kept
     * @param cipher seals each job's source headers
     * @param lifecycle says which of a batch's jobs go on the queue (the rest wait for their host)
     */
    public UploadMediaByUrl(Database database, JobRepository jobs, StorageLocations locations, WorkflowRegistry workflows,
            GuardedDnsResolver callbackGuard, JobIdQueue waitingRoom, NonceStore sessions, ClientTokens clientTokens,
            HeaderCipher cipher, IngestMetrics metrics, JobLifecycle lifecycle) {
        this.sessions = sessions;
        this.clientTokens = clientTokens;
        this.cipher = cipher;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
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
        List<Source> sources = sources(request.required("UploadURLs"));
        List<String> urls = sources.stream().map(Source::url).toList();
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
        String clientToken = request.optional("ClientToken").orElse(null);
        if (clientToken != null && !clientToken.matches("[\\x21-\\x7e]{1,64}")) {
            throw ApiException.invalid("ClientToken must be 1 to 64 printable ASCII characters.");
        }
        String fingerprint = clientToken == null ? null : ClientTokens.fingerprint(request.parameters());
        if (clientToken != null) {
            Optional<Reply> earlier = earlierReply(appId, clientToken, fingerprint);
            if (earlier.isPresent()) {
                exchange.getMessage().setHeader(Headers.JOB_IDS, List.of()); // its jobs were queued the first time
                return earlier.get();
            }
        }

        List<UploadJob> batch = new ArrayList<>();
        var now = Ids.now();
        for (Source source : sources) {
            String url = source.url();
            JsonNode meta = metaByUrl.get(url);
            String extension = fileExtension(url, meta);
            if (extension.equals("m3u8") && meta != null && meta.has("Md5")) {
                throw ApiException.invalid("MediaMetaData.Md5 cannot be given for an HLS presentation: its MP4 is made "
                        + "by the service from the segments: " + url);
            }
            String jobId = Ids.newId();
            Map<String, String> headers = sourceHeaders(meta);
            if (source.basicAuthorization() != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
                headers.put("Authorization", source.basicAuthorization());
            }
            // the headers are kept sealed, apart from the metadata that is stored and shown as given
            String storedMeta = meta == null ? null : Json.write(((ObjectNode) meta).deepCopy().without("SourceHeaders"));
            batch.add(UploadJob.pending(jobId, Ids.newId(), url, appId, entityId, userData, storedMeta, extension,
                    storageLocation, postProcess, now, request.family(), headers.isEmpty() ? null : cipher.seal(jobId, headers)));
        }
        Reply reply = new Reply(batch.stream().map(j -> new UploadJobEntry(j.jobId(), j.sourceUrl(), j.mediaId())).toList());
        if (waitingRoom != null && waitingRoom.remainingCapacity() < batch.size()) {
            // refused before a job exists: a batch the queue cannot take is not half-submitted
            throw new ApiException(ErrorCode.THROTTLING, waitingRoom.size() + " jobs are waiting on this node and "
                    + batch.size() + " more do not fit (ingest.queue.capacity); nothing was submitted, retry later.");
        }
        try {
            database.inTransaction(c -> {
                if (sessionId != null) {
                    sessions.useSessionOnce(c, request.appScope(), sessionId);
                }
                if (clientToken != null) {
                    clientTokens.remember(c, appId, clientToken, fingerprint, Json.write(reply));
                }
                jobs.insertAll(c, batch);
                return null;
            });
        } catch (IllegalStateException e) {
            Optional<Reply> twin = clientToken == null || !Database.isUniqueViolation(e) ? Optional.empty()
                    : earlierReply(appId, clientToken, fingerprint);
            if (twin.isEmpty()) {
                throw e;
            }
            // a concurrent call with the same token created the jobs: its reply is this call's too
            exchange.getMessage().setHeader(Headers.JOB_IDS, List.of());
            return twin.get();
        }
        metrics.submitted(batch.size());
        LOG.info("{} job(s) submitted{}", batch.size(), appId == null ? "" : " for AppId " + appId);
        exchange.getMessage().setHeader(Headers.JOB_IDS, lifecycle.toQueue(batch));
        return reply;
    }

    /** The reply of a ClientToken's first call within 24 hours; a repeat that asks for something else is refused. */
    private Optional<Reply> earlierReply(String appId, String clientToken, String fingerprint) {
        return clientTokens.find(appId, clientToken).map(earlier -> {
            if (!earlier.fingerprint().equals(fingerprint)) {
                throw new ApiException(ErrorCode.IDEMPOTENT_PARAMETER_MISMATCH, "The ClientToken " + clientToken
                        + " was used within the last 24 hours by a call with other parameters; nothing was submitted.");
            }
            try {
                return Json.MAPPER.readValue(earlier.reply(), Reply.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the stored reply of a ClientToken cannot be read", e);
            }
        });
    }

    /** The SourceHeaders of a MediaMetaData entry (checked by mediaMetaData), by name as given. */
    private static Map<String, String> sourceHeaders(JsonNode meta) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (meta != null && meta.get("SourceHeaders") instanceof ObjectNode given) {
            given.fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        }
        return headers;
    }

    /**
     * SourceHeaders: an object of request headers for the entry's URL, of the names
     * SourceHeaders.isAllowed names, each a string without line breaks. Messages name a header,
     * never quote its value.
     */
    private static void checkSourceHeaders(JsonNode headers) {
        if (!headers.isObject()) {
            throw ApiException.invalid("MediaMetaData.SourceHeaders must be a JSON object of header names and values.");
        }
        if (headers.size() > SourceHeaders.MAX_HEADERS) {
            throw ApiException.invalid("MediaMetaData.SourceHeaders holds more than " + SourceHeaders.MAX_HEADERS + " headers.");
        }
        headers.fields().forEachRemaining(e -> {
            String name = e.getKey();
            if (!SourceHeaders.isAllowed(name)) {
                throw ApiException.invalid("MediaMetaData.SourceHeaders: the header " + (name.length() > 64 ? name.substring(0, 64)
                        : name) + " may not be set; allowed are Authorization, Cookie, Referer, User-Agent, Accept-Language "
                        + "and X-… headers.");
            }
            if (!e.getValue().isTextual() || !SourceHeaders.isValidValue(e.getValue().asText())) {
                throw ApiException.invalid("MediaMetaData.SourceHeaders: the value of " + name + " must be a string of at most "
                        + SourceHeaders.MAX_VALUE_LENGTH + " characters without line breaks.");
            }
        });
    }

    /**
     * One URL of UploadURLs: as given (percent-decoded once, without any user:password@), and the
     * Basic authorization its user:password@ asked for, or null.
     */
    record Source(String url, String basicAuthorization) {
    }

    static List<String> sourceUrls(String uploadUrls) {
        return sources(uploadUrls).stream().map(Source::url).toList();
    }

    /**
     * The URLs of UploadURLs: each percent-decoded once (clients encode each URL before joining
     * them with commas); what a URL may not hold (a space, non-ASCII) is encoded again only when
     * it is fetched (SourceUrls.fetchable), so the job keeps and echoes the URL as given.
     */
    static List<Source> sources(String uploadUrls) {
        String[] parts = uploadUrls.split(",", -1);
        if (parts.length > MAX_URLS) {
            throw ApiException.invalid("UploadURLs holds " + parts.length + " URLs; at most " + MAX_URLS + " are allowed.");
        }
        List<Source> sources = new ArrayList<>();
        for (String part : parts) {
            String url;
            try {
                url = URLDecoder.decode(part.trim(), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                url = part.trim(); // a '%' that starts no escape: the URL was not encoded, and is taken as written
            }
            if (url.isEmpty()) {
                throw ApiException.invalid("UploadURLs contains an empty URL.");
            }
            String authorization = SourceUrls.basicAuthorization(url);
            url = SourceUrls.withoutUserInfo(url);
            parseUrl(SourceUrls.fetchable(url), "UploadURLs"); // http(s), a host, at most 8192 characters
            sources.add(new Source(url, authorization));
        }
        return sources;
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
            sourceUrl = SourceUrls.withoutUserInfo(sourceUrl);
            if (entry.has("SourceHeaders")) {
                checkSourceHeaders(entry.get("SourceHeaders"));
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
                : MediaFormats.extensionOf(SourceUrls.uri(url)).orElse(null);
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
