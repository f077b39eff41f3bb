-- What a PROCESSING job waits for before it can go on (DiskSpace: ingest.data-dir has no room
-- for it yet); NULL while it makes progress.
ALTER TABLE upload_job ADD COLUMN waiting_for VARCHAR(32);
