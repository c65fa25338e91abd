-- Trained REINFORCE agents (immutable versions bound to one NADE model), the schedules they
-- propose with their NADE forecasts, and the simulator validations of those schedules.
create table agent (
    id                    uuid             primary key,
    -- the training job that produced it: a rerun of that job finds its agent instead of adding one
    training_job_id       uuid             unique,
    nade_model_id         uuid             not null references nade_model (id),
    -- the dataset the NADE model was trained on (provenance)
    dataset_id            bigint,
    objective             text             not null,
    artifact              bytea            not null,
    artifact_sha256       text             not null check (artifact_sha256 ~ '^[0-9a-f]{64}$'),
    artifact_size         integer          not null,
    hyper_parameters      jsonb            not null,
    provenance            jsonb            not null,
    -- one point per training batch (thinned beyond 2,000): episodes, mean return, objective, final 2H
    reward_curve          jsonb            not null,
    -- the agent next to random walks and the cross-entropy method (null when not run)
    baselines             jsonb,
    seed                  bigint           not null,
    episodes              bigint           not null,
    batch_size            integer          not null,
    steps                 integer          not null,
    training_seconds      double precision not null,
    final_mean_objective  double precision not null,
    created_at            timestamptz      not null default now()
);
create index agent_nade_model_idx on agent (nade_model_id);
create index agent_created_idx on agent (created_at desc, id);

create function agent_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'agent % is immutable', old.id using errcode = 'check_violation';
end;
$$;
create trigger agent_immutable before update on agent for each row execute function agent_immutable();

create table proposal (
    id               uuid             primary key,
    agent_id         uuid             not null references agent (id) on delete cascade,
    -- the request that created it, and its position in that request's answer
    request_id       uuid             not null,
    position         integer          not null,
    mode             text             not null,
    seed             bigint           not null,
    rollouts         integer          not null,
    steps            integer          not null,
    -- X_0 .. X_{n-1} as (temperatureK, s2, h2, h2s) per step: steps * 4 values
    schedule         double precision[] not null,
    -- NADE Monte-Carlo forecast of (2H, 1T, defect) per step: steps * 3 values each
    predicted_mean   real[]           not null,
    predicted_p5     real[]           not null,
    predicted_p95    real[]           not null,
    objective        text             not null,
    objective_value  double precision not null,
    final_2h         double precision not null,
    warnings         jsonb            not null,
    created_at       timestamptz      not null default now(),
    unique (request_id, position)
);
create index proposal_agent_idx on proposal (agent_id, created_at desc, id);

create table proposal_validation (
    id                  uuid             primary key,
    proposal_id         uuid             not null references proposal (id) on delete cascade,
    replicas            integer          not null,
    seed                bigint           not null,
    -- simulator replicas' mean and p5/p95 of (2H, 1T, defect) per step: steps * 3 values each
    simulated_mean      real[]           not null,
    simulated_p5        real[]           not null,
    simulated_p95       real[]           not null,
    -- RMSE / MAE per phase, final-2H difference, band coverage, objective values
    errors              jsonb            not null,
    simulated_final_2h  double precision not null,
    created_at          timestamptz      not null default now()
);
create index proposal_validation_proposal_idx on proposal_validation (proposal_id, created_at);
