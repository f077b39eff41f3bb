package io.mediaurlingest;

/**
 * The one catalogue of error codes: API replies (HTTP status + Code) and job ErrorCodes
 * (reported by GetUrlUploadInfos and callback events). README lists the same table.
 */
public enum ErrorCode {
    // ---- API replies
    INVALID_PARAMETER("InvalidParameter", 400, "A parameter breaks a rule; Message names it and the rule."),
    MISSING_PARAMETER("MissingParameter", 400, "A required parameter is absent; Message names it."),
    INVALID_ACTION("InvalidAction.NotFound", 404, "The Action is not one this service implements."),
    MEDIA_NOT_FOUND("InvalidParameter.MediaNotFound", 404, "No media has the given MediaId or InputURL."),
    VIDEO_NOT_FOUND("InvalidVideo.NotFound", 404, "VOD API: no video has the given VideoId."),
    SESSION_ID_USED("InvalidParameter.SessionIdUsed", 400, "VOD API: the SessionId was used by a submit within the last 10 minutes; nothing was submitted."),
    IDEMPOTENT_PARAMETER_MISMATCH("IdempotentParameterMismatch", 400, "The ClientToken was used within 24 hours by an UploadMediaByURL with other parameters; nothing was submitted."),
    METHOD_NOT_ALLOWED("UnsupportedHTTPMethod", 405, "Only GET and POST are served."),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, "The Authorization header or a signature parameter is malformed."),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 400, "The signature does not match the request and the AccessKey secret."),
    ACCESS_KEY_NOT_FOUND("InvalidAccessKeyId.NotFound", 404, "The AccessKeyId is not configured on this service."),
    TIMESTAMP_EXPIRED("InvalidTimeStamp.Expired", 400, "Timestamp (or x-acs-date) is more than 15 minutes away from the server's time."),
    TIMESTAMP_FORMAT("InvalidTimeStamp.Format", 400, "Timestamp (or x-acs-date) is not an ISO-8601 UTC time."),
    NONCE_USED("SignatureNonceUsed", 400, "The SignatureNonce was already used within the last 15 minutes."),
    SIGNATURE_METHOD("InvalidSignatureMethod", 400, "Only HMAC-SHA1 (signature 1.0) and ACS3-HMAC-SHA256 are accepted."),
    FORBIDDEN("Forbidden.RAM", 403, "The AccessKey may not call this action (or use this AppId)."),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "The database does not answer (ingest.db.connection-timeout): nothing was changed; retry later."),
    THROTTLING("Throttling", 503, "Too many jobs are waiting on this node (ingest.queue.capacity): nothing was submitted; retry later."),
    INTERNAL_ERROR("InternalError", 500, "An unexpected failure; the RequestId finds it in the log."),

    // ---- job ErrorCodes
    SOURCE_NOT_FOUND("SourceNotFound", 0, "The source answered 404 or 410."),
    SOURCE_FORBIDDEN("SourceForbidden", 0, "The source answered 401 or 403."),
    SOURCE_UNAVAILABLE("SourceUnavailable", 0, "The source could not be reached or kept failing (5xx, 429, connection errors)."),
    SOURCE_REJECTED("SourceRejected", 0, "The source answered another 4xx status."),
    DOWNLOAD_TIMEOUT("DownloadTimeout", 0, "The source stopped sending data for longer than the read timeout."),
    ADDRESS_NOT_ALLOWED("AddressNotAllowed", 0, "The source (or a redirect) resolves to a refused address, or a redirect leads to a URL that is not http or https."),
    TOO_MANY_REDIRECTS("TooManyRedirects", 0, "The source redirected more often than allowed."),
    UNSUPPORTED_MEDIA_TYPE("UnsupportedMediaType", 0, "The downloaded file is not audio or video."),
    FILE_TOO_LARGE("FileTooLarge", 0, "The source is larger than ingest.fetch.max-file-size."),
    INCOMPLETE_DOWNLOAD("IncompleteDownload", 0, "The body was shorter or longer than the source's Content-Length."),
    CHECKSUM_MISMATCH("ChecksumMismatch", 0, "The file's MD5 differs from the Md5 given in MediaMetaData."),
    STORAGE_FAILED("StorageFailed", 0, "The object could not be written to the store."),
    CANCELED("Canceled", 0, "The job was canceled."),
    INTERNAL_JOB_ERROR("InternalError", 0, "An unexpected failure while processing the job.");

    private final String code;
    private final int httpStatus;
    private final String meaning;

    ErrorCode(String code, int httpStatus, String meaning) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.meaning = meaning;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String meaning() {
        return meaning;
    }
}
