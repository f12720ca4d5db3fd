-- A customer's reaction (an emoji) attaches to the message it reacts to; null when there is none.
ALTER TABLE messages ADD COLUMN reaction VARCHAR(64);
