-- Work one node does for the whole cluster, once (seeding the demo): the node whose insert of the
-- claim succeeds does it; the others see the key taken and leave it.

CREATE TABLE cluster_claims (
  claim VARCHAR(64) PRIMARY KEY,
  claimed_by VARCHAR(255) NOT NULL,
  claimed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
