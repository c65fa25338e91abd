-- Datasets and their synthesis profiles. One row per profile with one array per series:
-- a 10,000-profile dataset loads into training arrays with a single sequential scan.
create table dataset (
    id           bigserial primary key,
    name         text        not null,
    description  text,
    source       text        not null default 'UPLOAD',
    step_count   integer     not null default 20 check (step_count between 2 and 1000),
    created_at   timestamptz not null default now()
);

create table profile (
    id            bigserial primary key,
    dataset_id    bigint      not null references dataset (id) on delete cascade,
    external_id   text        not null,
    temperature_k double precision[] not null,
    s2            double precision[] not null,
    h2            double precision[] not null,
    h2s           double precision[] not null,
    phase_2h      double precision[] not null,
    phase_1t      double precision[] not null,
    phase_defect  double precision[] not null,
    content_hash  bytea       not null,
    created_at    timestamptz not null default now(),
    constraint profile_external_id_unique unique (dataset_id, external_id)
);
