-- People: users (email stored lower case), their memberships with a role, invitations, one-time
-- sign-in links and sessions (only SHA-256 hashes of their tokens), the email outbox (bodies
-- sealed: they carry sign-in links) and the keys that sign portal tokens (sealed).
CREATE TABLE users (
  user_id VARCHAR(64) PRIMARY KEY,
  email VARCHAR(320) NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  disabled_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE memberships (
  user_id VARCHAR(64) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  role VARCHAR(32) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by VARCHAR(300) NOT NULL,
  PRIMARY KEY (user_id, org_id)
);
CREATE INDEX memberships_org ON memberships (org_id);

CREATE TABLE invitations (
  invitation_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  email VARCHAR(320) NOT NULL,
  role VARCHAR(32) NOT NULL,
  invited_by VARCHAR(300) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  accepted_at TIMESTAMP WITH TIME ZONE,
  revoked_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX invitations_org ON invitations (org_id, created_at);

CREATE TABLE sign_in_links (
  token_hash VARCHAR(64) PRIMARY KEY,
  email VARCHAR(320) NOT NULL,
  invitation_id VARCHAR(64),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  used_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE user_sessions (
  session_id VARCHAR(64) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL,
  csrf_token VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE,
  user_agent VARCHAR(300),
  ip VARCHAR(64)
);
CREATE UNIQUE INDEX user_sessions_token ON user_sessions (token_hash);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

CREATE TABLE outbound_emails (
  email_id VARCHAR(64) PRIMARY KEY,
  recipient VARCHAR(320) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  sealed_body TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error VARCHAR(1000),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  sent_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX outbound_emails_due ON outbound_emails (status, next_attempt_at);

CREATE TABLE signing_keys (
  kid VARCHAR(64) PRIMARY KEY,
  sealed_jwk TEXT NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
