-- What people add to a client's contacts (the contacts themselves are put together from
-- conversations, leads and appointments when read): notes and tags, under the contact's key.
CREATE TABLE contact_notes (
  note_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  contact_key VARCHAR(320) NOT NULL,
  author VARCHAR(200) NOT NULL,
  text VARCHAR(4000) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX contact_notes_key ON contact_notes (org_id, contact_key, created_at);

CREATE TABLE contact_tags (
  org_id VARCHAR(64) NOT NULL,
  contact_key VARCHAR(320) NOT NULL,
  tag VARCHAR(50) NOT NULL,
  PRIMARY KEY (org_id, contact_key, tag)
);
