-- Two indexes whose columns lead another index of their table: every write kept them up to date and
-- no query needs them, the other index serves the same lookups. projection_name_index (V2, from
-- pekko-projection's schema) repeats the offset store's primary key (projection_name,
-- projection_key), written with every projection group; invoices_org (V31) repeats the unique
-- constraint invoices_number (org_id, number). SchemaIndexesTest keeps new ones out.
DROP INDEX IF EXISTS "projection_name_index";
DROP INDEX IF EXISTS invoices_org;
