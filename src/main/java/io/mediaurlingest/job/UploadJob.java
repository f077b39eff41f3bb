package io.mediaurlingest.job;

import java.time.OffsetDateTime;

import io.mediaurlingest.ApiFamily;

/**
 * One submitted URL. userData and mediaMeta keep the caller's JSON as submitted (the
 * MediaMetaData entry that matched this URL, without its SourceHeaders), so nothing is lost
 * between submit and callback. sourceHeaders holds the request headers for the source sealed
 * by HeaderCipher (null: none); it is opened for the download only. nodeId names the node that
 * runs or ran it (ingest.node-id; null before its first claim).
 */
public record UploadJob(
        String jobId,
        String mediaId,
        String sourceUrl,
        JobStatus status,
        String appId,
        String entityId,
        String userData,
        String mediaMeta,
        String fileExtension,
        String storageLocation,
        String postProcess,
        Long fileSize,
        long bytesDone,
        int attempts,
        String errorCode,
        String errorMessage,
        OffsetDateTime createdAt,
        OffsetDateTime completedAt,
        String waitingFor,
        ApiFamily apiFamily,
        String sourceHeaders,
        Integer segmentsDone,
        Integer segmentsTotal,
        String nodeId) {

    /** The MD5 the client announced for the file (MediaMetaData Md5), or null. */
    public String announcedMd5() {
        com.fasterxml.jackson.databind.JsonNode md5 = io.mediaurlingest.Json.readStored(mediaMeta).get("Md5");
        return md5 == null || md5.isNull() ? null : md5.asText();
    }

    /** A new job as the API persists it at submit. */
    public static UploadJob pending(String jobId, String mediaId, String sourceUrl, String appId, String entityId,
            String userData, String mediaMeta, String fileExtension, String storageLocation, String postProcess,
            OffsetDateTime createdAt, ApiFamily apiFamily, String sourceHeaders) {
        return new UploadJob(jobId, mediaId, sourceUrl, JobStatus.PENDING, appId, entityId, userData, mediaMeta,
                fileExtension, storageLocation, postProcess, null, 0, 0, null, null, createdAt, null, null, apiFamily, sourceHeaders, null, null, null);
    }

    /** This job as a node's claim leaves it: PROCESSING there, its next attempt begun. */
    UploadJob claimedBy(String node) {
        return new UploadJob(jobId, mediaId, sourceUrl, JobStatus.PROCESSING, appId, entityId, userData, mediaMeta,
                fileExtension, storageLocation, postProcess, fileSize, bytesDone, attempts + 1, errorCode, errorMessage,
                createdAt, completedAt, waitingFor, apiFamily, sourceHeaders, segmentsDone, segmentsTotal, node);
    }
}
