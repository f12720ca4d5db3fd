-- Webchat visitor sessions. Only a hash of the visitor's token is stored.
CREATE TABLE webchat_visitors (
  token_hash VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  agent_id VARCHAR(64) NOT NULL,
  visitor_id VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX webchat_visitors_last_seen ON webchat_visitors (last_seen_at);
