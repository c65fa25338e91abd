-- The API key that submitted a job (null when security is off): the per-key cap on queued +
-- running jobs (cvd-planner.quotas.max-active-jobs) counts by it. No foreign key: keys are
-- revoked, never deleted, and a job outlives the key's use anyway.
alter table job add column api_key_id uuid;
create index job_api_key_active_idx on job (api_key_id) where status in ('QUEUED', 'RUNNING');
