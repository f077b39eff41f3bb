package io.mediaurlingest.media;

import java.time.OffsetDateTime;

/** One media asset of the library and its source file in the store. */
public record MediaAsset(
        String mediaId,
        String title,
        String description,
        String tags,
        String coverUrl,
        Long cateId,
        String mediaType,
        String status,
        String appId,
        String entityId,
        String userData,
        String inputUrl,
        String storageLocation,
        String bucket,
        String objectKey,
        String fileName,
        long fileSize,
        String contentType,
        String md5,
        String sha256,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
