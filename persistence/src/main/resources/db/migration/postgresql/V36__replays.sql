-- Replays: an agent's recorded conversations re-run against a candidate configuration, in the
-- background. candidate: the configuration as JSON; selection: how the conversations were chosen;
-- budget: the credits the replay may spend (never taken from the balance), spent: what it did.
-- status: queued, running, done or cancelled.
CREATE TABLE replays (
  replay_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  agent_id VARCHAR(64) NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  status VARCHAR(16) NOT NULL,
  candidate TEXT NOT NULL,
  selection VARCHAR(2000) NOT NULL,
  budget BIGINT NOT NULL,
  spent BIGINT DEFAULT 0 NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX replays_agent ON replays (agent_id, created_at);
CREATE INDEX replays_status ON replays (status, created_at);

-- One recorded turn of a replay (seq in the replay's order): the window its model saw and what it did
-- (recorded), then, once run, what the candidate did and how they differ. status: pending, done,
-- skipped (the budget was spent, or the replay cancelled) or failed (the candidate's model failed).
CREATE TABLE replay_turns (
  replay_id VARCHAR(64) NOT NULL,
  seq INTEGER NOT NULL,
  session_id VARCHAR(300) NOT NULL,
  turn INTEGER NOT NULL,
  recorded TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  candidate TEXT,
  similarity DOUBLE PRECISION,
  answer_changed BOOLEAN DEFAULT FALSE NOT NULL,
  tools_changed BOOLEAN DEFAULT FALSE NOT NULL,
  handoff_change VARCHAR(16),
  recorded_credits BIGINT DEFAULT 0 NOT NULL,
  candidate_credits BIGINT DEFAULT 0 NOT NULL,
  note VARCHAR(1000),
  PRIMARY KEY (replay_id, seq)
);
CREATE INDEX replay_turns_pending ON replay_turns (status, replay_id, seq);
