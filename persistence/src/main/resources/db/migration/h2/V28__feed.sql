-- Each organization's feed (broadcasts it received, activity, platform messages), comments and
-- reactions on its items, and the broadcasts organizations sent with how many feeds they reached.
-- A broadcast's items are written by one set-based statement of its projection (unique per
-- organization and source, so a redelivered event adds nothing).
CREATE TABLE feed_items (
  item_id VARCHAR(200) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  title VARCHAR(300) NOT NULL,
  body VARCHAR(4000) NOT NULL,
  author VARCHAR(300),
  source VARCHAR(200) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT feed_items_source UNIQUE (org_id, source)
);
CREATE INDEX feed_items_org ON feed_items (org_id, created_at);
CREATE INDEX feed_items_by_source ON feed_items (source);

CREATE TABLE feed_comments (
  comment_id VARCHAR(64) PRIMARY KEY,
  item_id VARCHAR(200) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  author_name VARCHAR(200) NOT NULL,
  text VARCHAR(2000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX feed_comments_item ON feed_comments (item_id, created_at);
CREATE INDEX feed_comments_org ON feed_comments (org_id, created_at);

CREATE TABLE feed_reactions (
  item_id VARCHAR(200) NOT NULL,
  org_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  reaction VARCHAR(16) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (item_id, user_id, reaction)
);
CREATE INDEX feed_reactions_org ON feed_reactions (org_id, created_at);

CREATE TABLE broadcasts (
  broadcast_id VARCHAR(64) PRIMARY KEY,
  sender_org_id VARCHAR(64) NOT NULL,
  audience VARCHAR(16) NOT NULL,
  title VARCHAR(300) NOT NULL,
  priority VARCHAR(16),
  author VARCHAR(300),
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  organizations BIGINT NOT NULL
);
CREATE INDEX broadcasts_sender ON broadcasts (sender_org_id, created_at);
