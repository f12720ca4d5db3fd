-- No change on PostgreSQL. H2's V37 rebuilds the journal's tables because on H2 every index is a
-- B-tree whose pages each commit rewrites, and V1 left it eight per event (two of them duplicates
-- H2 created itself). PostgreSQL's V1 tables have no duplicate index (a foreign key adds none there),
-- and rebuilding them on a live database would lock the journal. The versions stay in step.
SELECT 1;
