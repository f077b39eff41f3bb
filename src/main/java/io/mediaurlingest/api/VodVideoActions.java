package io.mediaurlingest.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Ids;
import io.mediaurlingest.Json;
import io.mediaurlingest.job.JobRepository;
import io.mediaurlingest.job.JobStatus;
import io.mediaurlingest.job.UploadJob;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.media.ProbeResult;
import io.mediaurlingest.store.StorageLocations;

/**
 * ApsaraVideo VOD's video actions (Version 2017-03-21) over the same media library: GetVideoInfo,
 * GetVideoInfos, GetVideoList, GetMezzanineInfo, UpdateVideoInfo and DeleteVideo. A VideoId is a
 * MediaId. A video whose upload job has not ended reads as VOD's Uploading (UploadFail when the
 * job failed), as VOD shows a video from its submit on.
 * <p>
 * The reply shapes follow the VOD SDK's models: GetVideoInfo and GetVideoList wrap their lists
 * the way VOD's JSON does ({"VideoList":{"Video":[…]}}), the other actions give plain arrays.
 */
public final class VodVideoActions {

    static final int MAX_IDS = 20;
    static final int MAX_PAGE_SIZE = 100;
    /** VOD's GetVideoList returns at most the first 5,000 videos of a listing. */
    static final int MAX_LISTED = 5000;
    static final long DEFAULT_AUTH_TIMEOUT_SECONDS = 1800;
    static final long MAX_AUTH_TIMEOUT_SECONDS = 7 * 24 * 3600;

    private final MediaRepository media;
    private final JobRepository jobs;
    private final StorageLocations locations;
    private final MediaActions library;

    public VodVideoActions(MediaRepository media, JobRepository jobs, StorageLocations locations, MediaActions library) {
        this.media = media;
        this.jobs = jobs;
        this.locations = locations;
        this.library = library;
    }

    // ------------------------------------------------------------------ reply models

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Video(
            @JsonProperty("VideoId") String videoId,
            @JsonProperty("Title") String title,
            @JsonProperty("Description") String description,
            @JsonProperty("Duration") Float duration,
            @JsonProperty("CoverURL") String coverUrl,
            @JsonProperty("Status") String status,
            @JsonProperty("CreationTime") String creationTime,
            @JsonProperty("ModificationTime") String modificationTime,
            @JsonProperty("Size") Long size,
            @JsonProperty("CateId") Long cateId,
            @JsonProperty("Tags") String tags,
            @JsonProperty("TemplateGroupId") String templateGroupId,
            @JsonProperty("StorageLocation") String storageLocation,
            @JsonProperty("AppId") String appId,
            @JsonProperty("DownloadSwitch") String downloadSwitch) {
    }

    public record VideoReply(@JsonProperty("Video") Video video) {
    }

    public record VideosReply(@JsonProperty("VideoList") List<Video> videoList,
            @JsonProperty("NonExistVideoIds") List<String> nonExistVideoIds) {
    }

    public record ListReply(@JsonProperty("Total") long total,
            @JsonProperty("VideoList") Map<String, List<Video>> videoList) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mezzanine(
            @JsonProperty("VideoId") String videoId,
            @JsonProperty("FileURL") String fileUrl,
            @JsonProperty("FileName") String fileName,
            @JsonProperty("Size") Long size,
            @JsonProperty("Duration") String duration,
            @JsonProperty("Status") String status,
            @JsonProperty("CreationTime") String creationTime,
            @JsonProperty("Height") Long height,
            @JsonProperty("Width") Long width,
            @JsonProperty("Fps") String fps,
            @JsonProperty("Bitrate") String bitrate,
            @JsonProperty("OutputType") String outputType,
            @JsonProperty("VideoStreamList") List<ProbeResult.VideoStream> videoStreamList,
            @JsonProperty("AudioStreamList") List<ProbeResult.AudioStream> audioStreamList) {
    }

    public record MezzanineReply(@JsonProperty("Mezzanine") Mezzanine mezzanine) {
    }

    public record DeleteReply(@JsonProperty("NonExistVideoIds") List<String> nonExistVideoIds,
            @JsonProperty("ForbiddenVideoIds") List<String> forbiddenVideoIds) {
    }

    /** UpdateVideoInfo answers with its RequestId alone. */
    public record EmptyReply() {
    }

    // ------------------------------------------------------------------ actions

    public VideoReply getVideoInfo(RpcRequest request) {
        String videoId = request.required("VideoId");
        return new VideoReply(video(request, videoId).orElseThrow(() -> notFound(videoId)));
    }

    public VideosReply getVideoInfos(RpcRequest request) {
        List<Video> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids(request.required("VideoIds"), "VideoIds")) {
            video(request, id).ifPresentOrElse(found::add, () -> missing.add(id));
        }
        return new VideosReply(found, missing);
    }

    public ListReply getVideoList(RpcRequest request) {
        int pageNo = request.optional("PageNo").map(v -> MediaActions.parseInt("PageNo", v)).orElse(1);
        int pageSize = request.optional("PageSize").map(v -> MediaActions.parseInt("PageSize", v)).orElse(10);
        if (pageNo < 1) {
            throw ApiException.invalid("PageNo must be 1 or more.");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw ApiException.invalid("PageSize must be between 1 and " + MAX_PAGE_SIZE + ".");
        }
        long offset = (long) (pageNo - 1) * pageSize;
        if (offset + pageSize > MAX_LISTED) {
            throw ApiException.invalid("GetVideoList reaches the first " + MAX_LISTED
                    + " videos only (PageNo x PageSize); narrow it with StartTime and EndTime.");
        }
        boolean ascending = MediaActions.sortAscending(request.optional("SortBy").orElse("CreationTime:Desc"));
        MediaRepository.Filter filter = new MediaRepository.Filter(null, null, null, null, request.appScope(),
                request.optional("StartTime").map(t -> MediaActions.time("StartTime", t)).orElse(null),
                request.optional("EndTime").map(t -> MediaActions.time("EndTime", t)).orElse(null),
                request.optional("CateId").map(c -> MetadataRules.cateId("CateId", c)).orElse(null),
                request.optional("StorageLocation").orElse(null));
        // the library holds videos that are uploaded (Normal); uploading ones are found by their jobs
        Optional<String> statuses = request.optional("Status");
        if (statuses.isPresent() && MetadataRules.split(statuses.get()).stream().noneMatch("Normal"::equalsIgnoreCase)) {
            return new ListReply(0, Map.of("Video", List.of()));
        }
        List<Video> page = media.page(filter, ascending, (int) offset, pageSize).stream().map(this::video).toList();
        return new ListReply(media.count(filter), Map.of("Video", page));
    }

    public MezzanineReply getMezzanineInfo(RpcRequest request) {
        String videoId = request.required("VideoId");
        MediaAsset m = uploaded(request, videoId);
        long seconds = request.optional("AuthTimeout").map(v -> (long) MediaActions.parseInt("AuthTimeout", v))
                .orElse(DEFAULT_AUTH_TIMEOUT_SECONDS);
        if (seconds < 1 || seconds > MAX_AUTH_TIMEOUT_SECONDS) {
            throw ApiException.invalid("AuthTimeout must be between 1 and " + MAX_AUTH_TIMEOUT_SECONDS + " seconds.");
        }
        String outputType = request.optional("OutputType").orElse("oss").toLowerCase(Locale.ROOT);
        if (!outputType.equals("oss") && !outputType.equals("cdn")) {
            throw ApiException.invalid("OutputType must be oss or cdn.");
        }
        String fileUrl = locations.find(m.storageLocation())
                .map(l -> l.presignGet(m.objectKey(), Duration.ofSeconds(seconds))).orElse(null);
        ProbeResult probe = MediaActions.probeOf(m);
        return new MezzanineReply(new Mezzanine(m.mediaId(), fileUrl, m.fileName(), m.fileSize(),
                probe == null ? null : probe.duration(), "Normal", Ids.iso(m.createdAt()),
                probe == null ? null : number(probe.height()), probe == null ? null : number(probe.width()),
                probe == null ? null : probe.fps(), probe == null ? null : probe.bitrate(), outputType,
                probe == null ? List.of() : probe.videoStreams(), probe == null ? List.of() : probe.audioStreams()));
    }

    public EmptyReply updateVideoInfo(RpcRequest request) {
        MediaAsset current = uploaded(request, request.required("VideoId"));
        String title = request.optional("Title").map(t -> MetadataRules.title("Title", t)).orElse(current.title());
        String description = request.optional("Description")
                .map(d -> MetadataRules.description("Description", d)).orElse(current.description());
        String tags = request.optional("Tags").map(t -> MetadataRules.tags("Tags", t)).orElse(current.tags());
        String coverUrl = request.optional("CoverURL").map(u -> library.coverUrl("CoverURL", u, current))
                .orElse(current.coverUrl());
        Long cateId = request.optional("CateId").map(c -> MetadataRules.cateId("CateId", c)).orElse(current.cateId());
        media.update(current.withDescriptive(title, description, tags, coverUrl, cateId, current.businessType(),
                current.category(), current.userData(), current.referenceId(), Ids.now()));
        return new EmptyReply();
    }

    /** Deletes videos with their files, as VOD's DeleteVideo does; another AppId's video reads as missing. */
    public DeleteReply deleteVideo(RpcRequest request) {
        List<MediaAsset> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : ids(request.required("VideoIds"), "VideoIds")) {
            media.find(id).filter(m -> request.canSee(m.appId())).ifPresentOrElse(found::add, () -> missing.add(id));
        }
        library.delete(found, true);
        return new DeleteReply(missing, List.of());
    }

    // ------------------------------------------------------------------ helpers

    /** A video as the caller may see it: from the library, else from the upload job still making it. */
    private Optional<Video> video(RpcRequest request, String videoId) {
        Optional<MediaAsset> asset = media.find(videoId).filter(m -> request.canSee(m.appId()));
        if (asset.isPresent()) {
            return asset.map(this::video);
        }
        return jobs.findByMediaId(videoId).filter(j -> request.canSee(j.appId()))
                .filter(j -> j.status() != JobStatus.SUCCESS) // its media was deleted since
                .map(VodVideoActions::uploading);
    }

    private Video video(MediaAsset m) {
        ProbeResult probe = MediaActions.probeOf(m);
        return new Video(m.mediaId(), m.title(), m.description(), probe == null ? null : decimal(probe.duration()),
                library.coverUrl(m), m.status(), Ids.iso(m.createdAt()), Ids.iso(m.updatedAt()), m.fileSize(), m.cateId(),
                m.tags(), null, m.storageLocation(), m.appId(), "on");
    }

    private static Video uploading(UploadJob job) {
        JsonNode meta = Json.readStored(job.mediaMeta());
        String title = meta.path("Title").asText(VodUploadActions.titleOf(job.sourceUrl()));
        String status = job.status().isFinished() ? "UploadFail" : "Uploading";
        return new Video(job.mediaId(), title, meta.path("Description").asText(null), null, null, status,
                Ids.iso(job.createdAt()), null, job.fileSize(), meta.hasNonNull("CateId") ? meta.get("CateId").asLong() : null,
                meta.path("Tags").asText(null), meta.path("TemplateGroupId").asText(null), job.storageLocation(),
                job.appId(), null);
    }

    /** The uploaded video a call names; 404 InvalidVideo.NotFound when there is none (or it is still uploading). */
    private MediaAsset uploaded(RpcRequest request, String videoId) {
        return media.find(videoId).filter(m -> request.canSee(m.appId())).orElseThrow(() -> notFound(videoId));
    }

    private static ApiException notFound(String videoId) {
        return new ApiException(ErrorCode.VIDEO_NOT_FOUND, "The video " + videoId + " does not exist.");
    }

    private static List<String> ids(String commaSeparated, String parameter) {
        List<String> ids = MetadataRules.split(commaSeparated);
        if (ids.size() > MAX_IDS) {
            throw ApiException.invalid(parameter + " holds " + ids.size() + " values; at most " + MAX_IDS + " are allowed.");
        }
        return ids;
    }

    private static Float decimal(String value) {
        try {
            return value == null ? null : Float.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long number(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
