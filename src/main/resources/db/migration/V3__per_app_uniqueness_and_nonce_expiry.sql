-- ReferenceId and ClientToken are unique per AppId, not across the library: one AppId must not
-- learn (or be blocked by) another's values. app_scope is the AppId, '' for none, because a
-- unique index never treats two NULLs as equal.
ALTER TABLE media ADD COLUMN app_scope VARCHAR(64) DEFAULT '' NOT NULL;
UPDATE media SET app_scope = app_id WHERE app_id IS NOT NULL;
DROP INDEX media_reference_id;
DROP INDEX media_client_token;
CREATE UNIQUE INDEX media_reference_id ON media (app_scope, reference_id);
CREATE UNIQUE INDEX media_client_token ON media (app_scope, client_token);

-- A nonce is kept until its request's own time is out of the 15-minute window, not 15 minutes
-- after it was seen: a request signed for a later time must not outlive its nonce.
ALTER TABLE request_nonce ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
UPDATE request_nonce SET expires_at = seen_at + INTERVAL '16' MINUTE;
CREATE INDEX request_nonce_expires ON request_nonce (expires_at);
