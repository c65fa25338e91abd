-- API keys (docs/security.md). Only a SHA-256 of the key is stored: the key itself is shown
-- once, when it is created. Keys are 256-bit random strings, so a fast hash is enough.
create table api_key (
    id            uuid        primary key,
    name          text        not null,
    -- the first characters of the key, so a person can tell keys apart in a list
    prefix        text        not null,
    key_hash      text        not null unique,
    scopes        text[]      not null,
    created_at    timestamptz not null default now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    -- true for the key taken from configuration (cvd-planner.security.bootstrap-admin-key)
    bootstrap     boolean     not null default false
);
