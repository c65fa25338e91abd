-- Webhooks (docs/webhooks.md): subscriptions, an outbox of events written by triggers in the
-- same transaction as the change, one delivery row per (event, subscription) and a log of
-- every attempt. The delivery rows are the durable queue; a db-scheduler task drains them.
create table webhook_subscription (
    id           uuid        primary key,
    url          text        not null,
    event_types  text[]      not null,
    -- Standard Webhooks secret (whsec_ + base64); needed in clear to sign, shown once at creation
    secret       text        not null,
    description  text,
    created_at   timestamptz not null default now(),
    disabled_at  timestamptz
);

create table webhook_event (
    id          uuid        primary key,
    type        text        not null,
    data        jsonb       not null,
    created_at  timestamptz not null default now()
);
create index webhook_event_created_idx on webhook_event (created_at);

create table webhook_delivery (
    id               bigint      generated always as identity primary key,
    event_id         uuid        not null references webhook_event (id) on delete cascade,
    subscription_id  uuid        not null references webhook_subscription (id) on delete cascade,
    state            text        not null default 'PENDING' check (state in ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts         integer     not null default 0,
    -- when it is next due; while an attempt is in flight, the end of that attempt's lease
    next_attempt_at  timestamptz not null default now(),
    last_status      integer,
    last_error       text,
    created_at       timestamptz not null default now(),
    succeeded_at     timestamptz,
    unique (event_id, subscription_id)
);
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at) where state = 'PENDING';
create index webhook_delivery_subscription_idx on webhook_delivery (subscription_id, id desc);

create table webhook_attempt (
    delivery_id  bigint      not null references webhook_delivery (id) on delete cascade,
    attempt      integer     not null,
    at           timestamptz not null default now(),
    status_code  integer,
    latency_ms   integer     not null,
    error        text,
    primary key (delivery_id, attempt)
);

-- db-scheduler's table for the webhook dispatcher, apart from the job queue's
create table webhook_scheduled_tasks (
    task_name            text                     not null,
    task_instance        text                     not null,
    task_data            bytea,
    execution_time       timestamp with time zone not null,
    picked               boolean                  not null,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   not null,
    priority             smallint,
    primary key (task_name, task_instance)
);

-- The outbox: an event and its deliveries, written by the statement that makes the change.
create function webhook_publish(event_type text, event_data jsonb) returns void language plpgsql as $$
declare
    event_id uuid := gen_random_uuid();
begin
    if not exists (select 1 from webhook_subscription where disabled_at is null and event_type = any(event_types)) then
        return;
    end if;
    insert into webhook_event (id, type, data) values (event_id, event_type, event_data);
    insert into webhook_delivery (event_id, subscription_id)
        select event_id, s.id from webhook_subscription s where s.disabled_at is null and event_type = any(s.event_types);
end $$;

create function webhook_job_finished() returns trigger language plpgsql as $$
begin
    if new.status in ('SUCCEEDED', 'FAILED', 'CANCELLED') and old.status is distinct from new.status then
        perform webhook_publish('job.' || lower(new.status), jsonb_build_object(
            'jobId', new.id, 'jobType', new.type, 'status', new.status, 'result', new.result, 'error', new.error,
            'finishedAt', new.finished_at, 'location', '/api/v1/jobs/' || new.id));
    end if;
    return null;
end $$;
create trigger job_finished_webhook after update of status on job
    for each row execute function webhook_job_finished();

create function webhook_row_created() returns trigger language plpgsql as $$
begin
    case tg_table_name
        when 'nade_model' then
            perform webhook_publish('model.created', jsonb_build_object('modelId', new.id, 'datasetId', new.dataset_id,
                'location', '/api/v1/models/' || new.id));
        when 'agent' then
            perform webhook_publish('agent.created', jsonb_build_object('agentId', new.id, 'nadeModelId', new.nade_model_id,
                'location', '/api/v1/agents/' || new.id));
        when 'proposal' then
            perform webhook_publish('proposal.created', jsonb_build_object('proposalId', new.id, 'agentId', new.agent_id,
                'objectiveValue', new.objective_value, 'final2H', new.final_2h, 'location', '/api/v1/proposals/' || new.id));
        when 'proposal_validation' then
            perform webhook_publish('validation.created', jsonb_build_object('validationId', new.id,
                'proposalId', new.proposal_id,
                'location', '/api/v1/proposals/' || new.proposal_id || '/validations/' || new.id));
    end case;
    return null;
end $$;
create trigger nade_model_created_webhook after insert on nade_model for each row execute function webhook_row_created();
create trigger agent_created_webhook after insert on agent for each row execute function webhook_row_created();
create trigger proposal_created_webhook after insert on proposal for each row execute function webhook_row_created();
create trigger validation_created_webhook after insert on proposal_validation for each row execute function webhook_row_created();
