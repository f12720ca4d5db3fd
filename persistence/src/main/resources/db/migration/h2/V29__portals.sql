-- The clients' portals. A client without a row has the default portal: its id as the slug,
-- its name, open, with the "powered by" line. The agency's branding, the uploaded images
-- (served with their ETag), custom domains with their DNS TXT verification, and who of the
-- agency opened a client's portal (audited once per session).
CREATE TABLE portals (
  org_id VARCHAR(64) PRIMARY KEY,
  slug VARCHAR(64) NOT NULL,
  enabled BOOLEAN NOT NULL,
  display_name VARCHAR(200),
  primary_color VARCHAR(7),
  accent_color VARCHAR(7),
  support_email VARCHAR(320),
  support_phone VARCHAR(40),
  powered_by BOOLEAN NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_by VARCHAR(128),
  CONSTRAINT portals_slug UNIQUE (slug)
);

CREATE TABLE portal_images (
  org_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  content_type VARCHAR(64) NOT NULL,
  bytes VARBINARY NOT NULL,
  etag VARCHAR(64) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, kind)
);

CREATE TABLE portal_domains (
  host VARCHAR(253) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  token VARCHAR(64) NOT NULL,
  added_at TIMESTAMP WITH TIME ZONE NOT NULL,
  verified_at TIMESTAMP WITH TIME ZONE,
  checked_at TIMESTAMP WITH TIME ZONE,
  problem VARCHAR(500)
);
CREATE INDEX portal_domains_org ON portal_domains (org_id);

CREATE TABLE portal_openings (
  org_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  session_id VARCHAR(64) NOT NULL,
  opened_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, user_id, session_id)
);
CREATE INDEX portal_openings_org ON portal_openings (org_id, opened_at);
