-- What became of each Stripe event: applied, or ignored and why. An ignored event keeps a summary of
-- its object (ids, amount, metadata) so an operator can see it and apply it to an organization,
-- once, with who and when recorded. Events recorded before this migration count as applied.

ALTER TABLE stripe_events ADD COLUMN outcome VARCHAR(16) DEFAULT 'applied' NOT NULL;
ALTER TABLE stripe_events ADD COLUMN reason VARCHAR(1000);
ALTER TABLE stripe_events ADD COLUMN event_created_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE stripe_events ADD COLUMN summary VARCHAR(8000);
-- An operator's application of an ignored event: claimed ('pending') before the ledger is asked, 'applied' after.
ALTER TABLE stripe_events ADD COLUMN resolution VARCHAR(16);
ALTER TABLE stripe_events ADD COLUMN resolved_org_id VARCHAR(64);
ALTER TABLE stripe_events ADD COLUMN resolved_credits BIGINT;
ALTER TABLE stripe_events ADD COLUMN resolved_by VARCHAR(128);
ALTER TABLE stripe_events ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX stripe_events_outcome ON stripe_events (outcome, processed_at);
