-- Setup interviews an organization has started, so the dashboard can list them (the interview itself
-- lives in the journal, Setup|{setupId}); agent_id once it was connected.
CREATE TABLE setups (
  setup_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  owner_name VARCHAR(300) NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  agent_id VARCHAR(64)
);
CREATE INDEX setups_org ON setups (org_id, started_at);
