-- Projections read the journal by tag (eventsByTag). The query filters event_tag on the tag alone;
-- the primary key starts with event_id, so this index serves the tag filter in event order.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON public.event_tag (tag, event_id);
