-- The clients' calendars as read models, written by the calendar projection: every appointment
-- with its time and state (the calendar view, the .ics feed), and each client's feed token
-- (only its SHA-256: the feed's URL is shown once, when it is made).
CREATE TABLE appointments (
  booking_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  session_id VARCHAR(64),
  agent_id VARCHAR(128),
  channel VARCHAR(32),
  contact VARCHAR(256),
  service VARCHAR(200) NOT NULL,
  starts_at TIMESTAMP WITH TIME ZONE NOT NULL,
  ends_at TIMESTAMP WITH TIME ZONE NOT NULL,
  status VARCHAR(16) NOT NULL,
  booked_by VARCHAR(200),
  booked_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX appointments_org_time ON appointments (org_id, starts_at);

CREATE TABLE calendar_feeds (
  org_id VARCHAR(64) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT calendar_feeds_token UNIQUE (token_hash)
);
