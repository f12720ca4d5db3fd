-- Projections read the journal by tag (eventsByTag) several times a second. With only the primary
-- key (event_id, tag), PostgreSQL answered a poll that found new events with a sequential scan of
-- the whole event_tag table (a hash join on the tag filter). This tag-leading index serves the tag
-- filter instead (Pekko's own PostgreSQL schema adds a tag-leading index, event_tag_idx, from its
-- 2.0.0 schema on). Plain CREATE INDEX: CONCURRENTLY cannot run in Flyway's transaction, and the
-- migrations run before the node writes. TagQueryPlanTest pins the plans.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON public.event_tag (tag, event_id);

-- The work a conversation still owes moves from session_wakeups (a row per piece of work, written
-- and deleted by ~9 statements per message) onto the conversation's own row, which the projection
-- updates once per group anyway: pending_work is a JSON object {key: due epoch milliseconds}
-- (msg:<id>, turn:<n>, out:<id>, followup:<id>, reminder), wake_at its earliest due time, NULL
-- when nothing is owed. The session waker reads wake_at; the index holds only conversations that owe work.
ALTER TABLE conversations ADD COLUMN pending_work TEXT;
ALTER TABLE conversations ADD COLUMN wake_at TIMESTAMP WITH TIME ZONE;
UPDATE conversations c SET
  pending_work = (SELECT json_object_agg(w.wake_key, (EXTRACT(EPOCH FROM w.due_at) * 1000)::bigint)::text
    FROM session_wakeups w WHERE w.session_id = c.session_id),
  wake_at = (SELECT MIN(w.due_at) FROM session_wakeups w WHERE w.session_id = c.session_id)
WHERE c.session_id IN (SELECT session_id FROM session_wakeups);
CREATE INDEX conversations_wake ON conversations (wake_at) WHERE wake_at IS NOT NULL;
DROP TABLE session_wakeups;
