-- Projections read the journal by tag (eventsByTag) several times a second. The plugin's query
-- (pekko-persistence-jdbc 1.1.1) joins event_tag to a derived table of event_journal; H2 reads
-- event_tag first and filters it on the tag alone, and the primary key (event_id, tag) does not
-- start with the tag, so every poll read the whole event_tag table. This index serves the tag
-- filter (and carries event_id for the join without a row lookup). TagQueryPlanTest pins the plan.
CREATE INDEX IF NOT EXISTS "event_tag_tag_idx" ON PUBLIC."event_tag" ("tag", "event_id");

-- The work a conversation still owes moves from session_wakeups (a row per piece of work, written
-- and deleted by ~9 statements per message) onto the conversation's own row, which the projection
-- updates once per group anyway: pending_work is a JSON object {key: due epoch milliseconds}
-- (msg:<id>, turn:<n>, out:<id>, followup:<id>, reminder), wake_at its earliest due time, NULL
-- when nothing is owed. The session waker reads wake_at.
ALTER TABLE conversations ADD COLUMN pending_work VARCHAR;
ALTER TABLE conversations ADD COLUMN wake_at TIMESTAMP WITH TIME ZONE;
UPDATE conversations c SET
  pending_work = (SELECT CAST(JSON_OBJECTAGG(KEY w.wake_key VALUE CAST(EXTRACT(EPOCH FROM w.due_at) * 1000 AS BIGINT)) AS VARCHAR)
    FROM session_wakeups w WHERE w.session_id = c.session_id),
  wake_at = (SELECT MIN(w.due_at) FROM session_wakeups w WHERE w.session_id = c.session_id)
WHERE c.session_id IN (SELECT session_id FROM session_wakeups);
CREATE INDEX conversations_wake ON conversations (wake_at);
DROP TABLE session_wakeups;
