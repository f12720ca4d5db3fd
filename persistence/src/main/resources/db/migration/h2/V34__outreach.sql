-- Our copy of each organization's WhatsApp message templates (synced from the Graph API, their status
-- moved by Meta's webhooks), and the business account (WABA) its WhatsApp account belongs to.
CREATE TABLE whatsapp_templates (
  org_id VARCHAR(64) NOT NULL,
  template_id VARCHAR(64) NOT NULL,
  name VARCHAR(512) NOT NULL,
  language VARCHAR(16) NOT NULL,
  category VARCHAR(32) NOT NULL,
  status VARCHAR(32) NOT NULL,
  reason VARCHAR(200),
  body VARCHAR(4000) NOT NULL,
  parameters VARCHAR(2000) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, template_id)
);
CREATE UNIQUE INDEX whatsapp_templates_name ON whatsapp_templates (org_id, name, language);

-- Each organization's outreach settings: quiet hours in its time zone, and the templates that carry a
-- follow-up or a reminder once WhatsApp's 24-hour window has closed. No row: none of either.
CREATE TABLE outreach_settings (
  org_id VARCHAR(64) PRIMARY KEY,
  time_zone VARCHAR(64) NOT NULL,
  quiet_from VARCHAR(5),
  quiet_until VARCHAR(5),
  followup_template VARCHAR(512),
  followup_language VARCHAR(16),
  followup_takes_text BOOLEAN NOT NULL,
  reminder_template VARCHAR(512),
  reminder_language VARCHAR(16),
  reminder_takes_text BOOLEAN NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
