-- Who of an organization's own people hears that a conversation waits for a person. None chosen:
-- every member whose role reads conversations, as before. The agency's people are not affected.
CREATE TABLE handoff_contacts (
  org_id VARCHAR(64) NOT NULL,
  user_id VARCHAR(64) NOT NULL,
  chosen_by VARCHAR(200) NOT NULL,
  chosen_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (org_id, user_id)
);
