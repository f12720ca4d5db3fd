-- Billing with Stripe: customers, applied events, subscriptions, SMS numbers.

CREATE TABLE stripe_customers (
  org_id VARCHAR(64) PRIMARY KEY,
  customer_id VARCHAR(255) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every Stripe event applied, so a redelivery changes nothing.
CREATE TABLE stripe_events (
  event_id VARCHAR(255) PRIMARY KEY,
  type VARCHAR(128) NOT NULL,
  processed_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE billing_subscriptions (
  subscription_id VARCHAR(255) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  tier VARCHAR(32),
  number_order_id VARCHAR(64),
  status VARCHAR(32) NOT NULL,
  current_period_end TIMESTAMP WITH TIME ZONE,
  last_event_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX billing_subscriptions_org ON billing_subscriptions (org_id);

CREATE TABLE sms_numbers (
  order_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  number_key VARCHAR(128) NOT NULL,
  number VARCHAR(32),
  country VARCHAR(2),
  monthly_price_cents BIGINT NOT NULL,
  setup_price_cents BIGINT NOT NULL,
  currency VARCHAR(3) NOT NULL,
  status VARCHAR(16) NOT NULL,
  subscription_id VARCHAR(255),
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sms_numbers_org ON sms_numbers (org_id, status);
