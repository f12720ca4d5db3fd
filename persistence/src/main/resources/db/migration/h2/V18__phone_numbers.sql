-- Each organization's default country (ISO 3166-1 alpha-2): typed national phone numbers such as
-- 020 7946 0958 are read in it. No row: the platform's layercake.channels.default-country.
CREATE TABLE organization_phone_settings (
  org_id VARCHAR(64) NOT NULL PRIMARY KEY,
  default_country VARCHAR(2) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The number each SMS conversation's customer last wrote to (E.164): replies go out from it, so the
-- customer can answer them, even when the organization has an alphanumeric sender.
CREATE TABLE sms_reply_numbers (
  session_id VARCHAR(64) NOT NULL PRIMARY KEY,
  number VARCHAR(32) NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
