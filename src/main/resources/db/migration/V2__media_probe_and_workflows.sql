-- What probing found (JSON: format, duration, bitrate, size, streams), and the media's
-- post-upload workflow with its outcome.
ALTER TABLE media ADD COLUMN probe VARCHAR(16384);
ALTER TABLE media ADD COLUMN workflow_id VARCHAR(64);
ALTER TABLE media ADD COLUMN workflow_status VARCHAR(16);
ALTER TABLE media ADD COLUMN workflow_error VARCHAR(1024);
