-- The stale-job sweep asks for PENDING jobs untouched since a time. With updated_at beside status
-- it reads those and no other waiting job: a backlog of a hundred thousand jobs for one busy host
-- was read in full every sweep. Status alone is still this index's prefix for everything else.
DROP INDEX upload_job_status;
CREATE INDEX upload_job_status_updated ON upload_job (status, updated_at);
