-- NADE-CVD model registry: every trained model is an immutable version with its artifact
-- (DL4J zip with updater state + normaliser + provenance), the artifact's SHA-256 (checked
-- before anything is deserialised), how it was trained and its test metrics.
create table nade_model (
    id                 uuid             primary key,
    -- the training job that produced it: a rerun of that job finds its model instead of adding one
    training_job_id    uuid             unique,
    dataset_id         bigint           not null references dataset (id),
    artifact           bytea            not null,
    artifact_sha256    text             not null check (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    artifact_size      integer          not null,
    hyper_parameters   jsonb            not null,
    seed               bigint           not null,
    -- SHA-256 of the exact training + validation profiles, in order
    profile_hash       text             not null,
    -- split fractions, split seed, profile counts and the hash of the test profiles
    split              jsonb            not null,
    steps              integer          not null,
    -- smallest / largest value of each condition in the training inputs
    condition_ranges   jsonb            not null,
    dl4j_version       text             not null,
    nd4j_backend       text             not null,
    java_version       text             not null,
    training_seconds   double precision not null,
    epochs_run         integer          not null,
    best_epoch         integer          not null,
    validation_nll     double precision not null,
    test_nll           double precision not null,
    metrics            jsonb            not null,
    is_default         boolean          not null default false,
    created_at         timestamptz      not null default now()
);
create index nade_model_dataset_idx on nade_model (dataset_id);
create index nade_model_created_idx on nade_model (created_at desc, id);
-- at most one default model
create unique index nade_model_single_default on nade_model (is_default) where is_default;

-- Versions are immutable: only the default flag may change.
create function nade_model_immutable() returns trigger language plpgsql as $$
begin
    if (new.id, new.training_job_id, new.dataset_id, new.artifact, new.artifact_sha256, new.artifact_size,
        new.hyper_parameters, new.seed, new.profile_hash, new.split, new.steps, new.condition_ranges,
        new.dl4j_version, new.nd4j_backend, new.java_version, new.training_seconds, new.epochs_run,
        new.best_epoch, new.validation_nll, new.test_nll, new.metrics, new.created_at)
       is distinct from
       (old.id, old.training_job_id, old.dataset_id, old.artifact, old.artifact_sha256, old.artifact_size,
        old.hyper_parameters, old.seed, old.profile_hash, old.split, old.steps, old.condition_ranges,
        old.dl4j_version, old.nd4j_backend, old.java_version, old.training_seconds, old.epochs_run,
        old.best_epoch, old.validation_nll, old.test_nll, old.metrics, old.created_at) then
        raise exception 'nade_model % is immutable (only is_default may change)', old.id
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;
create trigger nade_model_immutable before update on nade_model
    for each row execute function nade_model_immutable();
