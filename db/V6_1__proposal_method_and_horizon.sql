-- which method produced a proposal (the agent, or the comparison's winner: agent+cross-entropy,
-- cross-entropy, random-walk), and the NADE model's horizon: steps from it on are extrapolated
alter table proposal add column method text not null default 'agent';
alter table proposal add column horizon integer;
