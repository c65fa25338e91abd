-- Measured (or RMD-computed) outcomes of proposed recipes (docs/lab-results.md). A whole
-- result is also stored as a profile of the chosen dataset, so the next NADE training uses it.
create table lab_result (
    id            uuid        primary key,
    proposal_id   uuid        not null references proposal (id) on delete cascade,
    agent_id      uuid        not null,
    dataset_id    bigint      references dataset (id) on delete set null,
    -- the profile's external id in that dataset; null for a partial result (not a training profile)
    profile_id    text,
    external_ref  text,
    steps_measured integer    not null,
    whole         boolean     not null,
    measured      jsonb       not null,
    comparison    jsonb       not null,
    created_at    timestamptz not null default now()
);
create index lab_result_proposal_idx on lab_result (proposal_id, created_at);
create index lab_result_agent_idx on lab_result (agent_id, created_at);
create index lab_result_external_ref_idx on lab_result (external_ref);

create function webhook_lab_result_received() returns trigger language plpgsql as $$
begin
    perform webhook_publish('lab-result.received', jsonb_build_object('labResultId', new.id,
        'proposalId', new.proposal_id, 'agentId', new.agent_id, 'datasetId', new.dataset_id,
        'externalRef', new.external_ref, 'whole', new.whole,
        'shareInsideBand', new.comparison -> 'shareInsideBand', 'final2HError', new.comparison -> 'final2HError',
        'location', '/api/v1/lab-results/' || new.id));
    return null;
end $$;
create trigger lab_result_received_webhook after insert on lab_result
    for each row execute function webhook_lab_result_received();
