package io.layercake.runtime.credits;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;

/** How a reservation ended, remembered for a while so that retries get the same answer. */
public record Settlement(
    String reservationId,
    Outcome outcome,
    long amount,
    Instant expiresAt,
    long charged,
    long shortfall,
    long available,
    String forOrgId,
    String sessionId,
    String agentId)
    implements JsonSerializable {

  public enum Outcome {
    REFUSED,
    COMMITTED,
    RELEASED,
    EXPIRED
  }

  static Settlement refused(OrgEntity.ReservationRefused refused) {
    return new Settlement(
        refused.reservationId(), Outcome.REFUSED, refused.amount(), null, 0, 0, refused.available(),
        refused.forOrgId(), refused.sessionId(), refused.agentId());
  }

  static Settlement released(Reservation reservation, boolean expired) {
    return new Settlement(
        reservation.reservationId(), expired ? Outcome.EXPIRED : Outcome.RELEASED, reservation.amount(),
        reservation.expiresAt(), 0, 0, 0, reservation.forOrgId(), reservation.sessionId(), reservation.agentId());
  }

  Settlement committed(long charged, long shortfall) {
    return new Settlement(
        reservationId, Outcome.COMMITTED, amount, expiresAt, charged, shortfall, 0, forOrgId, sessionId, agentId);
  }
}
