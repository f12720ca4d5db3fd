-- Projections read the journal by tag (eventsByTag). The query filters event_tag on the tag alone;
-- the primary key starts with event_id, so without this index every poll of every projection
-- scanned the whole event_tag table, a cost that grew with the journal (the benchmark found it).
CREATE INDEX IF NOT EXISTS "event_tag_tag_idx" ON PUBLIC."event_tag" ("tag", "event_id");
