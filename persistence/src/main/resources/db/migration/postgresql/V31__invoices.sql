-- Simple invoices clients write to their customers. Each client's numbers come from its row in
-- invoice_series, raised in the transaction that writes the invoice: a failed write gives its
-- number back, so the series has no gaps. Lines are JSON; amounts are cents.
CREATE TABLE invoice_series (
  org_id VARCHAR(64) PRIMARY KEY,
  last_number BIGINT NOT NULL
);

CREATE TABLE invoices (
  invoice_id VARCHAR(64) PRIMARY KEY,
  org_id VARCHAR(64) NOT NULL,
  number BIGINT NOT NULL,
  contact_name VARCHAR(200) NOT NULL,
  contact_key VARCHAR(320),
  session_id VARCHAR(64),
  currency VARCHAR(3) NOT NULL,
  vat_rate_basis_points INTEGER NOT NULL,
  lines VARCHAR(100000) NOT NULL,
  subtotal_cents BIGINT NOT NULL,
  vat_cents BIGINT NOT NULL,
  total_cents BIGINT NOT NULL,
  status VARCHAR(8) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  created_by VARCHAR(200) NOT NULL,
  sent_at TIMESTAMP WITH TIME ZONE,
  paid_at TIMESTAMP WITH TIME ZONE,
  voided_at TIMESTAMP WITH TIME ZONE,
  link_token VARCHAR(64) NOT NULL,
  CONSTRAINT invoices_number UNIQUE (org_id, number),
  CONSTRAINT invoices_link UNIQUE (link_token)
);
CREATE INDEX invoices_org ON invoices (org_id, number);
