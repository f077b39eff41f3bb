package io.mediaurlingest.api;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mediaurlingest.ErrorCode;
import io.mediaurlingest.Ids;
import io.mediaurlingest.media.MediaAsset;
import io.mediaurlingest.media.MediaRepository;
import io.mediaurlingest.store.StorageLocations;

/** GetMediaInfo: a media asset and its source file, with a presigned FileUrl. */
public final class MediaQueries {

    private final MediaRepository media;
    private final StorageLocations locations;
    private final Duration presignExpiry;

    public MediaQueries(MediaRepository media, StorageLocations locations, Duration presignExpiry) {
        this.media = media;
        this.locations = locations;
        this.presignExpiry = presignExpiry;
    }

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
            @JsonProperty("ReferenceId") String referenceId) {
    }

    public record FileBasicInfo(
            @JsonProperty("FileName") String fileName,
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

    public record FileInfo(@JsonProperty("FileBasicInfo") FileBasicInfo fileBasicInfo) {
    }

    public record MediaInfo(@JsonProperty("MediaId") String mediaId,
            @JsonProperty("MediaBasicInfo") MediaBasicInfo mediaBasicInfo,
            @JsonProperty("FileInfoList") List<FileInfo> fileInfoList) {
    }

    public record Reply(@JsonProperty("MediaInfo") MediaInfo mediaInfo) {
    }

    public Reply getMediaInfo(RpcRequest request) {
        String mediaId = request.required("MediaId");
        MediaAsset m = media.find(mediaId).orElseThrow(() -> new ApiException(ErrorCode.MEDIA_NOT_FOUND,
                "No media has the MediaId " + mediaId + "."));
        return new Reply(toMediaInfo(m));
    }

    MediaInfo toMediaInfo(MediaAsset m) {
        String created = Ids.iso(m.createdAt());
        String modified = Ids.iso(m.updatedAt());
        MediaBasicInfo basic = new MediaBasicInfo(m.mediaId(), m.inputUrl(), m.mediaType(), "general", "UploadByURL",
                m.title(), m.description(), null, m.tags(), m.coverUrl(), m.cateId(), m.status(), created, modified,
                m.userData(), null);
        String fileUrl = locations.find(m.storageLocation())
                .map(l -> l.presignGet(m.objectKey(), presignExpiry)).orElse(null);
        FileBasicInfo file = new FileBasicInfo(m.fileName(), "Normal", "source_file", String.valueOf(m.fileSize()),
                fileUrl, null, null, m.md5(), m.sha256(), m.storageLocation(), created, modified);
        return new MediaInfo(m.mediaId(), basic, List.of(new FileInfo(file)));
    }
}
