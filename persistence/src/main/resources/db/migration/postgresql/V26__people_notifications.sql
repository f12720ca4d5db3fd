-- People's notifications. The organization's events in `notifications` are routed once (routed_at)
-- into one row per person who should hear of them; a burst of one type within the collapse window
-- stays one row (occurrences). Each row has a delivery per external channel (email, push, pushover,
-- digest) with its attempts. People's choices, their Pushover keys (sealed) and web push
-- subscriptions, and each organization's type-to-channel map live next to them.
ALTER TABLE notifications ADD COLUMN routed_at TIMESTAMP WITH TIME ZONE;
UPDATE notifications SET routed_at = created_at;
CREATE INDEX notifications_unrouted ON notifications (routed_at, id);

CREATE TABLE user_notifications (
  notification_id VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  type VARCHAR(64) NOT NULL,
  priority VARCHAR(16) NOT NULL,
  title VARCHAR(300) NOT NULL,
  body VARCHAR(2000) NOT NULL,
  link VARCHAR(500),
  metadata VARCHAR(4000) NOT NULL,
  occurrences INTEGER NOT NULL,
  source VARCHAR(300) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  read_at TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX user_notifications_source ON user_notifications (user_id, source);
CREATE INDEX user_notifications_user ON user_notifications (user_id, created_at);
CREATE INDEX user_notifications_burst ON user_notifications (user_id, org_id, type, created_at);

CREATE TABLE notification_deliveries (
  notification_id VARCHAR(64) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  due_at TIMESTAMP WITH TIME ZONE NOT NULL,
  last_error VARCHAR(1000),
  sent_at TIMESTAMP WITH TIME ZONE,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (notification_id, channel)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, due_at);

CREATE TABLE notification_preferences (
  user_id VARCHAR(64) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  channel VARCHAR(16) NOT NULL,
  enabled BOOLEAN NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (user_id, org_id, channel)
);

CREATE TABLE notification_targets (
  user_id VARCHAR(64) PRIMARY KEY,
  sealed_pushover_key VARCHAR(2000),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE notification_routes (
  org_id VARCHAR(64) NOT NULL,
  type VARCHAR(64) NOT NULL,
  channels VARCHAR(200) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, type)
);

-- Browsers subscribed to web push (their push service's endpoint and the keys payloads are
-- encrypted for), and the platform's VAPID key pair, made on first start (private half sealed).
CREATE TABLE push_subscriptions (
  subscription_id VARCHAR(64) PRIMARY KEY,
  user_id VARCHAR(64) NOT NULL,
  endpoint VARCHAR(1000) NOT NULL,
  p256dh VARCHAR(200) NOT NULL,
  auth VARCHAR(100) NOT NULL,
  user_agent VARCHAR(300),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE UNIQUE INDEX push_subscriptions_endpoint ON push_subscriptions (endpoint);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

CREATE TABLE vapid_keys (
  key_id VARCHAR(32) PRIMARY KEY,
  public_key VARCHAR(500) NOT NULL,
  sealed_private_key VARCHAR(2000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
