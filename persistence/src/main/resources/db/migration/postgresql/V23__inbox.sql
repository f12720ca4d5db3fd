-- The team's side of the inbox, beside the conversations read model (never in the journal): who looks
-- after a conversation, notes the customer never sees, how far each person has read, ready replies.
CREATE TABLE conversation_assignments (
  session_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  assigned_by VARCHAR(300) NOT NULL,
  assigned_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX conversation_assignments_user ON conversation_assignments (user_id);

CREATE TABLE conversation_notes (
  note_id VARCHAR(64) PRIMARY KEY,
  session_id VARCHAR(64) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  author_user_id VARCHAR(64),
  author VARCHAR(300) NOT NULL,
  text VARCHAR(4000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX conversation_notes_session ON conversation_notes (session_id, created_at);

CREATE TABLE conversation_reads (
  user_id VARCHAR(64) NOT NULL,
  session_id VARCHAR(64) NOT NULL,
  seen_messages BIGINT NOT NULL,
  seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (user_id, session_id)
);

CREATE TABLE canned_replies (
  reply_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  title VARCHAR(100) NOT NULL,
  text VARCHAR(2000) NOT NULL,
  created_by VARCHAR(300) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX canned_replies_org ON canned_replies (org_id, title);
