-- Projections read the journal by tag (eventsByTag) several times a second. With only the primary
-- key (event_id, tag), PostgreSQL answered a poll that found new events with a sequential scan of
-- the whole event_tag table (a hash join on the tag filter). This tag-leading index serves the tag
-- filter instead (Pekko's own PostgreSQL schema adds a tag-leading index, event_tag_idx, from its
-- 2.0.0 schema on). Plain CREATE INDEX: CONCURRENTLY cannot run in Flyway's transaction, and the
-- migrations run before the node writes. TagQueryPlanTest pins the plans.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON public.event_tag (tag, event_id);
