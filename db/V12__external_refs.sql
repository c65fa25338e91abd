-- A lab system's own identifiers (sample, run, request) on datasets, jobs and proposals, as lab
-- results already have (README, Connecting a LIMS); lists filter by them, hence the indexes.
alter table dataset add column external_ref text check (char_length(external_ref) between 1 and 200);
alter table job add column external_ref text check (char_length(external_ref) between 1 and 200);
alter table proposal add column external_ref text check (char_length(external_ref) between 1 and 200);
create index dataset_external_ref_idx on dataset (external_ref, id) where external_ref is not null;
create index job_external_ref_idx on job (external_ref, seq desc) where external_ref is not null;
create index proposal_external_ref_idx on proposal (external_ref, created_at desc) where external_ref is not null;

-- Webhook events of jobs and proposals carry the reference, so a receiver can match them to its
-- own records without a lookup.
create or replace function webhook_job_finished() returns trigger language plpgsql as $$
begin
    if new.status in ('SUCCEEDED', 'FAILED', 'CANCELLED') and old.status is distinct from new.status then
        perform webhook_publish('job.' || lower(new.status), jsonb_build_object(
            'jobId', new.id, 'jobType', new.type, 'status', new.status, 'result', new.result, 'error', new.error,
            'externalRef', new.external_ref, 'finishedAt', new.finished_at, 'location', '/api/v1/jobs/' || new.id));
    end if;
    return null;
end $$;

create or replace function webhook_row_created() returns trigger language plpgsql as $$
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
                'objectiveValue', new.objective_value, 'final2H', new.final_2h, 'externalRef', new.external_ref,
                'location', '/api/v1/proposals/' || new.id));
        when 'proposal_validation' then
            perform webhook_publish('validation.created', jsonb_build_object('validationId', new.id,
                'proposalId', new.proposal_id,
                'location', '/api/v1/proposals/' || new.proposal_id || '/validations/' || new.id));
    end case;
    return null;
end $$;
