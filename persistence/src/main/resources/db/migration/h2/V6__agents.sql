-- The agent listing, written by the agent-listing projection from Agent events.
CREATE TABLE agents (
  agent_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  name VARCHAR(120) NOT NULL,
  status VARCHAR(16) NOT NULL,
  provider VARCHAR(32) NOT NULL,
  version BIGINT NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX agents_org ON agents (org_id, name);
