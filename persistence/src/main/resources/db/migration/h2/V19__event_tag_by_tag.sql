-- Projections read the journal by tag (eventsByTag) several times a second. The plugin's query
-- (pekko-persistence-jdbc 1.1.1) joins event_tag to a derived table of event_journal; H2 reads
-- event_tag first and filters it on the tag alone, and the primary key (event_id, tag) does not
-- start with the tag, so every poll read the whole event_tag table. This index serves the tag
-- filter (and carries event_id for the join without a row lookup). TagQueryPlanTest pins the plan.
CREATE INDEX IF NOT EXISTS "event_tag_tag_idx" ON PUBLIC."event_tag" ("tag", "event_id");
