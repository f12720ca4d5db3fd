package io.layercake.runtime.inbox;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** A person's answer to a booking request (a port; persistence implements it). The first answer stands. */
public interface BookingDecisions {

  String ACCEPTED = "accepted";
  String DECLINED = "declined";

  /** Records the answer unless one is recorded already; answers the one that stands. */
  CompletionStage<Decision> decide(long bookingId, String status, String decidedBy);

  record Decision(long bookingId, String status, String decidedBy, Instant decidedAt) {}
}
