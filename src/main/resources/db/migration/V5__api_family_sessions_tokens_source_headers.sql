-- Which API family submitted a job (ICE or VOD): its events take that family's shape.
ALTER TABLE upload_job ADD COLUMN api_family VARCHAR(8) DEFAULT 'ICE' NOT NULL;

-- The shape an event was written in (ICE or VOD), which also decides how a delivery is signed.
-- NULL on events written before: they are signed as ICE's.
ALTER TABLE callback_event ADD COLUMN event_format VARCHAR(8);

-- VOD's SessionId: a submit with a SessionId used within the last 10 minutes (per AppId scope,
-- '' for none) is refused. Rows older than that are swept with the nonces.
CREATE TABLE submit_session (
    app_scope   VARCHAR(64) NOT NULL,
    session_id  VARCHAR(50) NOT NULL,
    used_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_scope, session_id)
);
CREATE INDEX submit_session_used ON submit_session (used_at);

-- ClientToken on UploadMediaByURL: the first reply of a token (per AppId scope, '' for none) is
-- answered again to a repeat within 24 hours; fingerprint is the SHA-256 of the call's
-- parameters, so a repeat with other parameters is told apart. Swept with the nonces.
CREATE TABLE submit_token (
    app_scope     VARCHAR(64)     NOT NULL,
    client_token  VARCHAR(64)     NOT NULL,
    fingerprint   VARCHAR(64)     NOT NULL,
    reply         VARCHAR(400000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (app_scope, client_token)
);
CREATE INDEX submit_token_created ON submit_token (created_at);

-- A job's request headers for its source (SourceHeaders, a URL's user:password@), sealed with
-- AES-GCM (HeaderCipher): never stored, shown or logged in clear.
ALTER TABLE upload_job ADD COLUMN source_headers VARCHAR(32000);

-- An HLS presentation's progress: segments fetched, of how many (NULL for a single file).
ALTER TABLE upload_job ADD COLUMN segments_done INT;
ALTER TABLE upload_job ADD COLUMN segments_total INT;

-- ListUrlUploadJobs pages jobs newest first.
CREATE INDEX upload_job_created ON upload_job (created_at, job_id);

-- The node that runs or ran a job (ingest.node-id), kept after it ends: GetUrlUploadInfos' NodeId.
ALTER TABLE upload_job ADD COLUMN node_id VARCHAR(128);
