-- What users see of asynchronous jobs. The durable queue underneath is db-scheduler's
-- scheduled_tasks (V2): one execution per job, task_instance = the job id, no task data.
create table job (
    id                uuid        primary key,
    -- monotonically increasing, for listing order and cursor paging
    seq               bigint      generated always as identity unique,
    type              text        not null,
    status            text        not null check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    parameters        jsonb       not null,
    seed              bigint      not null,
    idempotency_key   text,
    -- sha-256 of type, canonical parameters and the requested seed: same key + other request = 422
    request_hash      text        not null,
    progress_done     bigint,
    progress_total    bigint,
    progress_unit     text,
    result            jsonb,
    error             text,
    -- the instance running it, or the last one that ran it
    instance          text,
    -- how many times a run started (also the fencing token of the current run)
    attempts          integer     not null default 0,
    -- how many runs were handed back on a graceful shutdown (not counted against max attempts)
    releases          integer     not null default 0,
    cancel_requested  boolean     not null default false,
    created_at        timestamptz not null default now(),
    started_at        timestamptz,
    updated_at        timestamptz not null default now(),
    finished_at       timestamptz,
    constraint job_idempotency_key_unique unique (idempotency_key)
);
create index job_type_seq_idx on job (type, seq desc);
create index job_status_seq_idx on job (status, seq desc);

-- Metric history (loss per epoch, reward per N episodes, ...); a rerun after a resume
-- overwrites the same (name, step), so a metric point is written at most once.
create table job_metric (
    job_id       uuid             not null references job (id) on delete cascade,
    name         text             not null,
    step         bigint           not null,
    value        double precision not null,
    seq          bigint           generated always as identity,
    recorded_at  timestamptz      not null default now(),
    primary key (job_id, name, step)
);
create index job_metric_seq_idx on job_metric (job_id, seq);

-- The last checkpoint of a job (replaced on every save).
create table job_checkpoint (
    job_id    uuid        primary key references job (id) on delete cascade,
    attempt   integer     not null,
    data      bytea       not null,
    saved_at  timestamptz not null default now()
);
