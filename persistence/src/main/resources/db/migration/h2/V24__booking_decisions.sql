-- A person's answer to a booking request an agent recorded: accepted or declined, once, by whom.
CREATE TABLE booking_decisions (
  booking_id BIGINT PRIMARY KEY,
  status VARCHAR(16) NOT NULL,
  decided_by VARCHAR(300) NOT NULL,
  decided_at TIMESTAMP WITH TIME ZONE NOT NULL
);
