-- Answers to API requests sent with an Idempotency-Key, per organization, kept 24 hours: a repeat of
-- the same request gets the same answer; the key with another request is refused. status is NULL
-- while the first request runs.
CREATE TABLE idempotency_keys (
  org_id VARCHAR(64) NOT NULL,
  idempotency_key VARCHAR(255) NOT NULL,
  request_hash VARCHAR(64) NOT NULL,
  status INTEGER,
  content_type VARCHAR(128),
  body TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
