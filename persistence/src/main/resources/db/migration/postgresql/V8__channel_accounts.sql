-- Each organization's own setup on a channel: its WhatsApp access token, its SMS sender id and
-- Infobip entity. Empty columns are not configured.
CREATE TABLE channel_accounts (
  org_id VARCHAR(64) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  access_token VARCHAR(1024),
  sender_id VARCHAR(16),
  entity_id VARCHAR(128),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, channel)
);
CREATE INDEX channel_accounts_entity ON channel_accounts (channel, entity_id);
