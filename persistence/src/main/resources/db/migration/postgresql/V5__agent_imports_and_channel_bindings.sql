-- Which agent-config bundles were imported (re-importing a bundle id changes nothing).
CREATE TABLE agent_imports (
  org_id VARCHAR(64) NOT NULL,
  bundle_id VARCHAR(128) NOT NULL,
  agent_id VARCHAR(64) NOT NULL,
  document_ids VARCHAR(4000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, bundle_id)
);

-- Which agent answers on a channel address: a WhatsApp phone_number_id, an SMS number, a webchat key.
CREATE TABLE channel_bindings (
  channel VARCHAR(16) NOT NULL,
  address VARCHAR(128) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  agent_id VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (channel, address)
);
CREATE INDEX channel_bindings_agent ON channel_bindings (agent_id);
