-- Idempotency-Key for creating POSTs (docs/idempotency.md): the first request with a key runs,
-- its response is kept and replayed to retries with the same key and body. Keys are scoped to
-- the API key that sent them ('' when security is off) and kept for a configurable time.
create table idempotency_record (
    scope            text        not null,
    idempotency_key  text        not null,
    method           text        not null,
    path             text        not null,
    -- sha-256 of method, path, content type and body (JSON bodies in canonical form)
    request_hash     text        not null,
    state            text        not null check (state in ('IN_PROGRESS', 'COMPLETED')),
    response_status  integer,
    response_headers jsonb,
    response_body    bytea,
    created_at       timestamptz not null default now(),
    -- an IN_PROGRESS record whose owner died (crash) may be taken over after this time
    locked_until     timestamptz not null,
    expires_at       timestamptz not null,
    primary key (scope, idempotency_key)
);
create index idempotency_record_expires_idx on idempotency_record (expires_at);
