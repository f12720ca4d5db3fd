-- The REST API's tables.

-- Organizations and their parents, written by the org-directory projection (sub-organization listings, tenant checks).
CREATE TABLE organizations (
  org_id VARCHAR(64) PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  tier VARCHAR(32) NOT NULL,
  parent_org_id VARCHAR(64),
  opened_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX organizations_parent ON organizations (parent_org_id);

-- API keys: only a SHA-256 of the key is stored.
CREATE TABLE api_keys (
  key_id VARCHAR(32) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  scopes VARCHAR(1000) NOT NULL,
  key_hash VARCHAR(64) NOT NULL UNIQUE,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX api_keys_org ON api_keys (org_id);

-- Approvals, written by the conversations projection.
CREATE TABLE approvals (
  approval_id VARCHAR(300) PRIMARY KEY,
  session_id VARCHAR(64) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  tool_name VARCHAR(64),
  arguments VARCHAR(4000),
  draft VARCHAR(10000),
  status VARCHAR(16) NOT NULL,
  requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  decided_by VARCHAR(200),
  decided_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX approvals_org_status ON approvals (org_id, status);
