-- Each agent's follow-up sequences: named series of messages started by a person, the agent's
-- start_sequence tool or an event (trigger_event); definition: the steps and stop rules as JSON.
CREATE TABLE followup_sequences (
  org_id VARCHAR(64) NOT NULL,
  agent_id VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  trigger_event VARCHAR(32) NOT NULL,
  definition VARCHAR NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, agent_id, name)
);

-- A client's review requests: where the tracked link leads, how long after a booking (or a
-- conversation closed as a success) the request goes, how often a customer may be asked, the text,
-- and the template that carries it once WhatsApp's window is closed. No link: no review requests.
ALTER TABLE outreach_settings ADD COLUMN review_link VARCHAR(2048);
ALTER TABLE outreach_settings ADD COLUMN review_delay VARCHAR(16);
ALTER TABLE outreach_settings ADD COLUMN review_period_days INTEGER;
ALTER TABLE outreach_settings ADD COLUMN review_text VARCHAR(1000);
ALTER TABLE outreach_settings ADD COLUMN review_template VARCHAR(512);
ALTER TABLE outreach_settings ADD COLUMN review_language VARCHAR(16);
ALTER TABLE outreach_settings ADD COLUMN review_takes_text BOOLEAN DEFAULT FALSE NOT NULL;

-- Review requests about to go or gone, one per request (the conversation's follow-up): token is the
-- tracked link's key, clicks how often it was followed. A customer (channel + contact) of an
-- organization is asked at most once per period: the newest request's sent_at decides.
CREATE TABLE review_requests (
  token VARCHAR(64) PRIMARY KEY,
  request_id VARCHAR(400) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  agent_id VARCHAR(64) NOT NULL,
  session_id VARCHAR(300) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  contact VARCHAR(128) NOT NULL,
  link VARCHAR(2048) NOT NULL,
  sent_at TIMESTAMP WITH TIME ZONE NOT NULL,
  first_clicked_at TIMESTAMP WITH TIME ZONE,
  clicks INTEGER DEFAULT 0 NOT NULL
);
CREATE UNIQUE INDEX review_requests_request ON review_requests (request_id);
CREATE INDEX review_requests_contact ON review_requests (org_id, channel, contact, sent_at);
