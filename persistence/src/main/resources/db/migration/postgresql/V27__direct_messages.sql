-- Direct messages: the inbox of threads per person (a read model of DirectThread events, with the
-- unread count and when the oldest unread message came, for reminders), the messages' order and
-- senders (to recount unread ones), each person's rule and blocks, and organizations' switch for
-- messages across organizations.
CREATE TABLE dm_inbox (
  thread_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  other_user_id VARCHAR(64) NOT NULL,
  last_seq BIGINT NOT NULL,
  last_message_id VARCHAR(100),
  last_message_at TIMESTAMP WITH TIME ZONE,
  last_preview VARCHAR(200),
  last_sender_id VARCHAR(64),
  read_seq BIGINT NOT NULL,
  unread BIGINT NOT NULL,
  first_unread_at TIMESTAMP WITH TIME ZONE,
  reminded_seq BIGINT NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX dm_inbox_user ON dm_inbox (user_id, last_message_at);
CREATE INDEX dm_inbox_unread ON dm_inbox (first_unread_at);

CREATE TABLE dm_messages (
  thread_id VARCHAR(64) NOT NULL,
  seq BIGINT NOT NULL,
  message_id VARCHAR(100) NOT NULL,
  sender_id VARCHAR(64) NOT NULL,
  sent_at TIMESTAMP WITH TIME ZONE NOT NULL,
  deleted BOOLEAN NOT NULL,
  PRIMARY KEY (thread_id, seq)
);

CREATE TABLE messaging_rules (
  user_id VARCHAR(64) PRIMARY KEY,
  who_may_message VARCHAR(16) NOT NULL,
  remind_after_seconds BIGINT NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE messaging_blocks (
  user_id VARCHAR(64) NOT NULL,
  blocked_user_id VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (user_id, blocked_user_id)
);

CREATE TABLE organization_messaging (
  org_id VARCHAR(64) PRIMARY KEY,
  allow_cross_org BOOLEAN NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
