-- One schema for H2 and PostgreSQL: portable types only (VARCHAR, BIGINT, INT,
-- TIMESTAMP WITH TIME ZONE), no vendor functions.

-- One row per submitted URL.
CREATE TABLE upload_job (
    job_id            VARCHAR(32)   NOT NULL PRIMARY KEY,
    media_id          VARCHAR(32)   NOT NULL,
    source_url        VARCHAR(8192) NOT NULL,
    -- SHA-256 hex of source_url: long URLs cannot be indexed directly on PostgreSQL
    source_url_hash   VARCHAR(64)   NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    app_id            VARCHAR(64),
    entity_id         VARCHAR(64),
    user_data         VARCHAR(2048),
    media_meta        VARCHAR(16384),
    file_extension    VARCHAR(16)   NOT NULL,
    storage_location  VARCHAR(128)  NOT NULL,
    post_process      VARCHAR(1024),
    file_size         BIGINT,
    bytes_done        BIGINT        DEFAULT 0 NOT NULL,
    attempts          INT           DEFAULT 0 NOT NULL,
    error_code        VARCHAR(64),
    error_message     VARCHAR(1024),
    lease_owner       VARCHAR(128),
    lease_expires_at  TIMESTAMP WITH TIME ZONE,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX upload_job_url_hash ON upload_job (source_url_hash);
CREATE INDEX upload_job_status ON upload_job (status);
CREATE INDEX upload_job_media ON upload_job (media_id);

-- One row per media asset in the library.
CREATE TABLE media (
    media_id          VARCHAR(32)   NOT NULL PRIMARY KEY,
    title             VARCHAR(512),
    description       VARCHAR(4096),
    tags              VARCHAR(1024),
    cover_url         VARCHAR(8192),
    cate_id           BIGINT,
    media_type        VARCHAR(16)   NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    app_id            VARCHAR(64),
    entity_id         VARCHAR(64),
    user_data         VARCHAR(2048),
    business_type     VARCHAR(32),
    category          VARCHAR(64),
    reference_id      VARCHAR(128),
    client_token      VARCHAR(64),
    -- the stored object's URL (endpoint/bucket/key), and its SHA-256 hex for look-ups
    input_url         VARCHAR(8192) NOT NULL,
    input_url_hash    VARCHAR(64)   NOT NULL,
    media_source      VARCHAR(32)   NOT NULL,
    storage_location  VARCHAR(128)  NOT NULL,
    bucket            VARCHAR(255)  NOT NULL,
    object_key        VARCHAR(1024) NOT NULL,
    file_name         VARCHAR(1024) NOT NULL,
    file_size         BIGINT        NOT NULL,
    content_type      VARCHAR(255),
    md5               VARCHAR(32),
    sha256            VARCHAR(64),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX media_created ON media (created_at, media_id);
CREATE INDEX media_input_url ON media (input_url_hash);
CREATE UNIQUE INDEX media_reference_id ON media (reference_id);
CREATE UNIQUE INDEX media_client_token ON media (client_token);

-- The outbox: one row per event to deliver, written in the transaction that ends a job.
CREATE TABLE callback_event (
    event_id          VARCHAR(32)   NOT NULL PRIMARY KEY,
    event_type        VARCHAR(64)   NOT NULL,
    job_id            VARCHAR(32),
    media_id          VARCHAR(32),
    app_id            VARCHAR(64),
    callback_url      VARCHAR(8192),
    payload           VARCHAR(16384) NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    attempts          INT           DEFAULT 0 NOT NULL,
    next_attempt_at   TIMESTAMP WITH TIME ZONE,
    last_error        VARCHAR(1024),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX callback_event_due ON callback_event (status, next_attempt_at);

-- Signature nonces seen in the last 15 minutes: a nonce is accepted once, on every node.
CREATE TABLE request_nonce (
    nonce             VARCHAR(320)  NOT NULL PRIMARY KEY,
    access_key_id     VARCHAR(128)  NOT NULL,
    seen_at           TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX request_nonce_seen ON request_nonce (seen_at);
