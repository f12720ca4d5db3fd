-- Access tokens are stored encrypted (enc:v1:<key id>:<base64 of nonce, ciphertext and tag>): a token of
-- up to 1024 characters needs about 1,420.
ALTER TABLE channel_accounts ALTER COLUMN access_token SET DATA TYPE VARCHAR(2048);
