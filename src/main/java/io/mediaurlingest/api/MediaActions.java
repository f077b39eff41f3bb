package io.mediaurlingest.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Ids;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaFormats;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.media.ProbeResult;
import io.mediaurlingest.Json;
import io.mediaurlingest.store.ObjectKeys;
import io.mediaurlingest.store.StorageLocation;
import io.mediaurlingest.store.StorageLocations;
import io.mediaurlingest.workflow.WorkflowRegistry;

/**
 * The media library actions: GetMediaInfo, RegisterMediaInfo, ListMediaBasicInfos,
 * UpdateMediaInfo and DeleteMediaInfos, with the reply shapes of ICE's SDK models.
 */
public final class MediaActions {

    static final int MAX_RESULTS = 100;
    static final int MAX_DELETE = 20;
    private static final Set<String> MEDIA_TYPES = Set.of("video", "audio", "image", "text");
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "heic");
    private static final Set<String> TEXT_EXTENSIONS = Set.of("txt", "srt", "vtt", "ass", "ssa", "lrc");

    private final MediaRepository media;
    private final StorageLocations locations;
    private final WorkflowRegistry workflows;
    private final Duration presignExpiry;

    public MediaActions(MediaRepository media, StorageLocations locations, WorkflowRegistry workflows,
            Duration presignExpiry) {
        this.media = media;
        this.locations = locations;
        this.workflows = workflows;
        this.presignExpiry = presignExpiry;
    }

    // ------------------------------------------------------------------ reply models

    public record MediaBasicInfo(
            @JsonProperty("MediaId") String mediaId,
            @JsonProperty("InputURL") String inputUrl,
            @JsonProperty("MediaType") String mediaType,
            @JsonProperty("BusinessType") String businessType,
            @JsonProperty("Source") String source,
            @JsonProperty("Title") String title,
            @JsonProperty("Description") String description,
            @JsonProperty("Category") String category,
            @JsonProperty("MediaTags") String mediaTags,
            @JsonProperty("CoverURL") String coverUrl,
            @JsonProperty("CateId") Long cateId,
            @JsonProperty("Status") String status,
            @JsonProperty("CreateTime") String createTime,
            @JsonProperty("ModifiedTime") String modifiedTime,
            @JsonProperty("UserData") String userData,
            @JsonProperty("ReferenceId") String referenceId,
            @JsonProperty("WorkflowId") String workflowId,
            @JsonProperty("WorkflowStatus") String workflowStatus,
            @JsonProperty("WorkflowError") String workflowError) {
    }

    public record FileBasicInfo(
            @JsonProperty("FileName") String fileName,
            @JsonProperty("Duration") String duration,
            @JsonProperty("Width") String width,
            @JsonProperty("Height") String height,
            @JsonProperty("Bitrate") String bitrate,
            @JsonProperty("Fps") String fps,
            @JsonProperty("FileStatus") String fileStatus,
            @JsonProperty("FileType") String fileType,
            @JsonProperty("FileSize") String fileSize,
            @JsonProperty("FileUrl") String fileUrl,
            @JsonProperty("Region") String region,
            @JsonProperty("FormatName") String formatName,
            @JsonProperty("Md5") String md5,
            @JsonProperty("Sha256") String sha256,
            @JsonProperty("StorageLocation") String storageLocation,
            @JsonProperty("CreateTime") String createTime,
            @JsonProperty("ModifiedTime") String modifiedTime) {
    }

    public record FileInfo(@JsonProperty("FileBasicInfo") FileBasicInfo fileBasicInfo,
            @JsonProperty("VideoStreamInfoList") List<ProbeResult.VideoStream> videoStreams,
            @JsonProperty("AudioStreamInfoList") List<ProbeResult.AudioStream> audioStreams) {
    }

    public record MediaInfo(@JsonProperty("MediaId") String mediaId,
            @JsonProperty("MediaBasicInfo") MediaBasicInfo mediaBasicInfo,
            @JsonProperty("FileInfoList") List<FileInfo> fileInfoList) {
    }

    public record GetReply(@JsonProperty("MediaInfo") MediaInfo mediaInfo) {
    }

    public record MediaIdReply(@JsonProperty("MediaId") String mediaId) {
    }

    public record ListReply(@JsonProperty("MediaInfos") List<MediaInfo> mediaInfos,
            @JsonProperty("NextToken") String nextToken,
            @JsonProperty("MaxResults") int maxResults,
            @JsonProperty("TotalCount") long totalCount) {
    }

    public record DeleteReply(@JsonProperty("IgnoredList") List<String> ignoredList,
            @JsonProperty("ForbiddenList") List<String> forbiddenList) {
    }

    // ------------------------------------------------------------------ actions

    public GetReply getMediaInfo(RpcRequest request) {
        MediaAsset found = target(request);
        // the workflow's state first, then the media: a workflow that reads as ended has its
        // changes (tags, cover) in the row read after it
        String[] workflow = media.workflow(found.mediaId());
        MediaAsset m = media.find(found.mediaId()).orElse(found);
        MediaInfo info = toMediaInfo(m, true);
        MediaBasicInfo b = info.mediaBasicInfo();
        MediaBasicInfo withWorkflow = new MediaBasicInfo(b.mediaId(), b.inputUrl(), b.mediaType(), b.businessType(), b.source(),
                b.title(), b.description(), b.category(), b.mediaTags(), b.coverUrl(), b.cateId(), b.status(), b.createTime(),
                b.modifiedTime(), b.userData(), b.referenceId(), workflow[0], workflow[1], workflow[2]);
        return new GetReply(new MediaInfo(info.mediaId(), withWorkflow, info.fileInfoList()));
    }

    public MediaIdReply registerMediaInfo(RpcRequest request) {
        String inputUrl = request.required("InputURL");
        MetadataRules.maxBytes("InputURL", inputUrl, 8192);
        Optional<String> clientToken = request.optional("ClientToken");
        if (clientToken.isPresent()) {
            MetadataRules.maxBytes("ClientToken", clientToken.get(), 64);
            // tokens are per AppId: another AppId's token is neither found nor a conflict
            Optional<MediaAsset> earlier = media.findByClientToken(request.appScope(), clientToken.get());
            if (earlier.isPresent()) {
                return new MediaIdReply(earlier.get().mediaId()); // the same call again: same answer
            }
        }
        StorageLocations.ObjectRef ref = resolve("InputURL", inputUrl).orElseThrow(() -> ApiException.invalid(
                "InputURL names no object of a configured storage location (s3://bucket/key, oss://bucket/key, "
                        + "or the store's object URL): " + inputUrl));
        if (ObjectKeys.isManaged(ref.key())) {
            throw ApiException.invalid("InputURL names an object under " + ObjectKeys.MANAGED_PREFIX
                    + ", where the service keeps the files of jobs and workflows; those are registered by their jobs.");
        }
        StorageLocation location = ref.location();
        StorageLocation.StoredObject object = location.head(ref.key()).orElseThrow(() -> ApiException.invalid(
                "InputURL: there is no object " + ref.key() + " in bucket " + location.bucket() + "."));
        String canonical = location.objectUrl(ref.key());

        String fileName = ref.key().substring(ref.key().lastIndexOf('/') + 1);
        String extension = MediaFormats.extensionOf(URI.create("s3://b/" + fileName.replace(" ", "%20"))).orElse("");
        String mediaType = mediaType(request.optional("MediaType").orElse(null), extension);
        String title = MetadataRules.title("Title", request.optional("Title").orElse(null));
        if (title == null) {
            title = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        }
        String description = MetadataRules.description("Description", request.optional("Description").orElse(null));
        String tags = MetadataRules.tags("MediaTags", request.optional("MediaTags").orElse(null));
        String coverUrl = coverUrl("CoverURL", request.optional("CoverURL").orElse(null), null);
        Long cateId = MetadataRules.cateId("CateId", request.optional("CateId").orElse(null));
        String userData = UploadMediaByUrl.userData(request.optional("UserData").orElse(null));
        String referenceId = referenceId(request.optional("ReferenceId").orElse(null), request.appScope(), null);
        request.optional("WorkflowId").ifPresent(id -> {
            if (!workflows.exists(id)) {
                throw ApiException.invalid("WorkflowId names no known workflow: " + id);
            }
        });

        Optional<MediaAsset> existing = media.findByInputUrl(canonical);
        if (existing.isPresent() && !request.canSee(existing.get().appId())) {
            throw new ApiException(ErrorCode.FORBIDDEN, "The InputURL is registered under another AppId.");
        }
        if (existing.isPresent()) {
            if (!Boolean.parseBoolean(request.optional("Overwrite").orElse("false"))) {
                return new MediaIdReply(existing.get().mediaId()); // one URL, one media asset
            }
            media.delete(existing.get().mediaId()); // Overwrite: the old asset goes, a new one is registered
        }
        OffsetDateTime now = Ids.now();
        MediaAsset asset = new MediaAsset(Ids.newId(), title, description, tags, coverUrl, cateId, mediaType, "Normal",
                short32("BusinessType", request.optional("BusinessType").orElse("general")), null, request.appScope(), null,
                userData, referenceId,
                clientToken.orElse(null), canonical, "Register", location.name(), location.bucket(), ref.key(), fileName,
                object.size(), object.contentType(), null, null, null, now, now);
        media.insert(asset);
        return new MediaIdReply(asset.mediaId());
    }

    public ListReply listMediaBasicInfos(RpcRequest request) {
        int maxResults = request.optional("MaxResults").map(v -> parseInt("MaxResults", v)).orElse(10);
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw ApiException.invalid("MaxResults must be between 1 and " + MAX_RESULTS + ".");
        }
        boolean ascending = sortAscending(request.optional("SortBy").orElse("desc"));
        MediaRepository.Filter filter = new MediaRepository.Filter(
                request.optional("MediaType").map(t -> t.toLowerCase(Locale.ROOT)).orElse(null),
                request.optional("Status").orElse(null),
                request.optional("BusinessType").orElse(null),
                request.optional("Source").orElse(null),
                request.appScope(),
                request.optional("StartTime").map(t -> time("StartTime", t)).orElse(null),
                request.optional("EndTime").map(t -> time("EndTime", t)).orElse(null), null, null);
        boolean withFiles = Boolean.parseBoolean(request.optional("IncludeFileBasicInfo").orElse("false"));
        Optional<String> mediaId = request.optional("MediaId");
        if (mediaId.isPresent()) {
            List<MediaInfo> one = media.find(mediaId.get()).filter(m -> request.canSee(m.appId()))
                    .map(m -> List.of(toMediaInfo(m, withFiles))).orElse(List.of());
            return new ListReply(one, null, maxResults, one.size());
        }
        MediaRepository.PageStart after = request.optional("NextToken").map(t -> decodeToken(t, ascending)).orElse(null);
        List<MediaAsset> page = media.list(filter, ascending, after, maxResults + 1);
        String next = null;
        if (page.size() > maxResults) {
            page = page.subList(0, maxResults);
            MediaAsset last = page.get(page.size() - 1);
            next = encodeToken(last, ascending);
        }
        List<MediaInfo> infos = page.stream().map(m -> toMediaInfo(m, withFiles)).toList();
        return new ListReply(infos, next, maxResults, media.count(filter));
    }

    public MediaIdReply updateMediaInfo(RpcRequest request) {
        MediaAsset current = target(request);
        String title = request.optional("Title").map(t -> MetadataRules.title("Title", t)).orElse(current.title());
        String description = request.optional("Description")
                .map(d -> MetadataRules.description("Description", d)).orElse(current.description());
        String tags = current.tags();
        Optional<String> newTags = request.optional("MediaTags");
        if (newTags.isPresent()) {
            boolean append = Boolean.parseBoolean(request.optional("AppendTags").orElse("false"));
            Set<String> all = new LinkedHashSet<>();
            if (append && current.tags() != null) {
                all.addAll(MetadataRules.split(current.tags()));
            }
            all.addAll(MetadataRules.split(newTags.get()));
            tags = MetadataRules.tags("MediaTags", String.join(",", all));
        }
        String coverUrl = request.optional("CoverURL").map(u -> coverUrl("CoverURL", u, current)).orElse(current.coverUrl());
        Long cateId = request.optional("CateId").map(c -> MetadataRules.cateId("CateId", c)).orElse(current.cateId());
        String userData = request.optional("UserData").map(UploadMediaByUrl::userData).orElse(current.userData());
        String referenceId = request.optional("ReferenceId").map(r -> referenceId(r, current.appId(), current.mediaId()))
                .orElse(current.referenceId());
        media.update(current.withDescriptive(title, description, tags, coverUrl, cateId,
                short32("BusinessType", request.optional("BusinessType").orElse(current.businessType())),
                request.optional("Category").map(c -> { MetadataRules.maxBytes("Category", c, 64); return c; })
                        .orElse(current.category()), userData, referenceId, Ids.now()));
        return new MediaIdReply(current.mediaId());
    }

    public DeleteReply deleteMediaInfos(RpcRequest request) {
        boolean physical = Boolean.parseBoolean(request.optional("DeletePhysicalFiles").orElse("false"));
        // another AppId's media is ignored like a missing one: the reply must not tell that it exists
        List<String> ignored = new ArrayList<>();
        List<MediaAsset> found = new ArrayList<>();
        Optional<String> ids = request.optional("MediaIds");
        if (ids.isPresent()) {
            for (String id : values(ids.get(), "MediaIds")) {
                media.find(id).filter(m -> request.canSee(m.appId())).ifPresentOrElse(found::add, () -> ignored.add(id));
            }
        } else {
            for (String url : values(request.optional("InputURLs").orElseThrow(
                    () -> ApiException.missing("MediaIds or InputURLs")), "InputURLs")) {
                byInputUrl(url).filter(m -> request.canSee(m.appId())).ifPresentOrElse(found::add, () -> ignored.add(url));
            }
        }
        delete(found, physical);
        return new DeleteReply(ignored, List.of());
    }

    /** Deletes media rows, and with physical their objects (unless another media row still names one). */
    void delete(List<MediaAsset> found, boolean physical) {
        for (MediaAsset m : found) {
            media.delete(m.mediaId());
            if (physical && media.countByInputUrl(m.inputUrl()) == 0) {
                locations.find(m.storageLocation()).ifPresent(l -> l.delete(m.objectKey()));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The media a call names by MediaId or InputURL; 404 when there is none. */
    private MediaAsset target(RpcRequest request) {
        Optional<String> mediaId = request.optional("MediaId");
        if (mediaId.isPresent()) {
            return media.find(mediaId.get()).filter(m -> request.canSee(m.appId()))
                    .orElseThrow(() -> new ApiException(ErrorCode.MEDIA_NOT_FOUND,
                            "No media has the MediaId " + mediaId.get() + "."));
        }
        String inputUrl = request.optional("InputURL").orElseThrow(() -> ApiException.missing("MediaId or InputURL"));
        return byInputUrl(inputUrl).filter(m -> request.canSee(m.appId()))
                .orElseThrow(() -> new ApiException(ErrorCode.MEDIA_NOT_FOUND, "No media has the InputURL " + inputUrl + "."));
    }

    private Optional<MediaAsset> byInputUrl(String inputUrl) {
        return resolve("InputURL", inputUrl)
                .map(ref -> ref.location().objectUrl(ref.key()))
                .flatMap(media::findByInputUrl);
    }

    /** The object a URL names in a configured store; a key in a form the store would read as another is refused. */
    private Optional<StorageLocations.ObjectRef> resolve(String parameter, String url) {
        try {
            return locations.resolve(url);
        } catch (ObjectKeys.InvalidKeyException e) {
            throw ApiException.invalid(parameter + ": " + e.getMessage() + ".");
        }
    }

    /** A CoverURL by MetadataRules.coverUrl; the media's current cover (its snapshot) may be given again unchanged. */
    String coverUrl(String parameter, String url, MediaAsset current) {
        if (url == null || (current != null && url.equals(current.coverUrl()))) {
            return url;
        }
        return MetadataRules.coverUrl(parameter, url, locations);
    }

    MediaInfo toMediaInfo(MediaAsset m, boolean withFiles) {
        String created = Ids.iso(m.createdAt());
        String modified = Ids.iso(m.updatedAt());
        MediaBasicInfo basic = new MediaBasicInfo(m.mediaId(), m.inputUrl(), m.mediaType(), m.businessType(),
                m.mediaSource(), m.title(), m.description(), m.category(), m.tags(), coverUrl(m), m.cateId(),
                m.status(), created, modified, m.userData(), m.referenceId(), null, null, null);
        if (!withFiles) {
            return new MediaInfo(m.mediaId(), basic, null);
        }
        String fileUrl = locations.find(m.storageLocation())
                .map(l -> l.presignGet(m.objectKey(), presignExpiry)).orElse(null);
        ProbeResult probe = probeOf(m);
        FileBasicInfo file = new FileBasicInfo(m.fileName(), probe == null ? null : probe.duration(),
                probe == null ? null : probe.width(), probe == null ? null : probe.height(),
                probe == null ? null : probe.bitrate(), probe == null ? null : probe.fps(), "Normal", "source_file",
                String.valueOf(m.fileSize()), fileUrl, null, probe == null ? null : probe.formatName(), m.md5(), m.sha256(),
                m.storageLocation(), created, modified);
        return new MediaInfo(m.mediaId(), basic, List.of(new FileInfo(file,
                probe == null ? null : probe.videoStreams(), probe == null ? null : probe.audioStreams())));
    }

    /** The media's own snapshot is handed out presigned, so that it downloads; any other cover as it was given. */
    String coverUrl(MediaAsset m) {
        String stored = m.coverUrl();
        String own = locations.find(m.storageLocation()).map(l -> l.objectUrl(ObjectKeys.snapshot(m.mediaId()))).orElse(null);
        if (stored == null || !stored.equals(own)) {
            return stored;
        }
        return locations.get(m.storageLocation()).presignGet(ObjectKeys.snapshot(m.mediaId()), presignExpiry);
    }

    static ProbeResult probeOf(MediaAsset m) {
        if (m.probe() == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(m.probe(), ProbeResult.class);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static String mediaType(String given, String extension) {
        if (given != null) {
            String type = given.toLowerCase(Locale.ROOT);
            if (!MEDIA_TYPES.contains(type)) {
                throw ApiException.invalid("MediaType must be one of video, audio, image, text.");
            }
            return type;
        }
        if (MediaFormats.isKnown(extension)) {
            return MediaFormats.mediaType(extension);
        }
        if (IMAGE_EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT))) {
            return "image";
        }
        if (TEXT_EXTENSIONS.contains(extension.toLowerCase(Locale.ROOT))) {
            return "text";
        }
        throw ApiException.invalid("MediaType cannot be inferred from the file name; give MediaType.");
    }

    /** ReferenceId: 6 to 64 letters, digits, - or _; unique among the media of one AppId. */
    private String referenceId(String referenceId, String appId, String ownMediaId) {
        if (referenceId == null) {
            return null;
        }
        if (!referenceId.matches("[A-Za-z0-9_-]{6,64}")) {
            throw ApiException.invalid("ReferenceId must be 6 to 64 letters, digits, - or _.");
        }
        media.findByReferenceId(appId, referenceId).filter(m -> !m.mediaId().equals(ownMediaId)).ifPresent(m -> {
            throw ApiException.invalid("ReferenceId " + referenceId + " is already used by media " + m.mediaId() + ".");
        });
        return referenceId;
    }

    private static String short32(String parameter, String value) {
        if (value != null) {
            MetadataRules.maxBytes(parameter, value, 32);
        }
        return value;
    }

    private static List<String> values(String commaSeparated, String parameter) {
        List<String> values = MetadataRules.split(commaSeparated);
        if (values.size() > MAX_DELETE) {
            throw ApiException.invalid(parameter + " holds " + values.size() + " values; at most " + MAX_DELETE + " are allowed.");
        }
        return values;
    }

    static boolean sortAscending(String sortBy) {
        String s = sortBy.toLowerCase(Locale.ROOT);
        if (s.equals("asc") || s.equals("utccreated:asc") || s.equals("creationtime:asc")) {
            return true;
        }
        if (s.equals("desc") || s.equals("utccreated:desc") || s.equals("creationtime:desc")) {
            return false;
        }
        throw ApiException.invalid("SortBy must be asc or desc (by creation time).");
    }

    static int parseInt(String parameter, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(parameter + " must be a whole number.");
        }
    }

    static OffsetDateTime time(String parameter, String value) {
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(parameter + " must be an ISO-8601 time such as 2026-11-25T08:00:00Z.");
        }
    }

    private static String encodeToken(MediaAsset last, boolean ascending) {
        String raw = (ascending ? "a" : "d") + "|" + last.createdAt() + "|" + last.mediaId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static MediaRepository.PageStart decodeToken(String token, boolean ascending) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\\|");
            if (parts.length != 3 || !parts[0].equals(ascending ? "a" : "d")) {
                throw new IllegalArgumentException("order");
            }
            return new MediaRepository.PageStart(OffsetDateTime.parse(parts[1]), parts[2]);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw ApiException.invalid("NextToken is not a token this listing gave out (or SortBy changed).");
        }
    }
}
