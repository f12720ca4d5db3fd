-- A conversation whose contact texted an SMS opt-out keyword (STOP) and has not opted in again (START).
ALTER TABLE conversations ADD COLUMN opted_out BOOLEAN DEFAULT FALSE NOT NULL;
