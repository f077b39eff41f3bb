package io.mediaurlingest.media;

import java.time.OffsetDateTime;

/**
 * One media asset of the library and its source file in the store. inputUrl is the stored
 * object's URL (endpoint/bucket/key); mediaSource says how it came in (UploadByURL, Register).
 */
public record MediaAsset(
        String mediaId,
        String title,
        String description,
        String tags,
        String coverUrl,
        Long cateId,
        String mediaType,
        String status,
        String businessType,
        String category,
        String appId,
        String entityId,
        String userData,
        String referenceId,
        String clientToken,
        String inputUrl,
        String mediaSource,
        String storageLocation,
        String bucket,
        String objectKey,
        String fileName,
        long fileSize,
        String contentType,
        String md5,
        String sha256,
        String probe,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** The descriptive fields a client may change (UpdateMediaInfo, RegisterMediaInfo with Overwrite). */
    public MediaAsset withDescriptive(String title, String description, String tags, String coverUrl, Long cateId,
            String businessType, String category, String userData, String referenceId, OffsetDateTime now) {
        return new MediaAsset(mediaId, title, description, tags, coverUrl, cateId, mediaType, status, businessType,
                category, appId, entityId, userData, referenceId, clientToken, inputUrl, mediaSource, storageLocation,
                bucket, objectKey, fileName, fileSize, contentType, md5, sha256, probe, createdAt, now);
    }
}
