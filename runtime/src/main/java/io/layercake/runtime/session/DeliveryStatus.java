package io.layercake.runtime.session;

public enum DeliveryStatus {
  QUEUED,
  SENT,
  DELIVERED,
  READ,
  FAILED;

  /** Receipts arrive out of order; a message never moves back (read stays read), and failure is final. */
  boolean canBecome(DeliveryStatus next) {
    return this != FAILED && this != next && (next == FAILED || next.ordinal() > ordinal());
  }
}
