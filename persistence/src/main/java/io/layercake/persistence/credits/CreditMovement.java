package io.layercake.persistence.credits;

import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code credit_transactions}: a change to a pool's balance, or a line of what a turn
 * cost, or (kind {@code lapse}) held credits of an ended period that expired instead of coming back.
 * {@link #of} turns one Org event into its rows.
 */
record CreditMovement(
    String subOrgId, String agentId, String sessionId, String reservationId, String kind, Bucket bucket, long amount,
    String item, Instant at) {

  static final List<String> BALANCE_KINDS =
      List.of("grant", "expire", "purchase", "reserve", "return", "spend", "release", "reservation_expired");

  static List<CreditMovement> of(String poolOrgId, OrgEntity.Event event) {
    List<CreditMovement> rows = new ArrayList<>();
    if (event instanceof OrgEntity.Granted e) {
      rows.add(new CreditMovement(null, null, null, null, "grant", e.bucket(), e.amount(), e.periodKey(), e.at()));
      if (e.expired() > 0) {
        rows.add(new CreditMovement(null, null, null, null, "expire", e.bucket(), -e.expired(), e.periodKey(), e.at()));
      }
    } else if (event instanceof OrgEntity.CreditsPurchased e) {
      rows.add(new CreditMovement(null, null, null, null, "purchase", Bucket.PURCHASED, e.credits(), e.idempotencyKey(), e.at()));
    } else if (event instanceof OrgEntity.CreditsReserved e) {
      var r = e.reservation();
      perBucket(r.holds(), -1, (bucket, amount) -> rows.add(
          new CreditMovement(sub(poolOrgId, r.forOrgId()), r.agentId(), r.sessionId(), r.reservationId(), "reserve", bucket, amount, null, e.at())));
    } else if (event instanceof OrgEntity.ReservationCommitted e) {
      String sub = sub(poolOrgId, e.forOrgId());
      perBucket(e.returned(), 1, (bucket, amount) -> rows.add(
          new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), "return", bucket, amount, null, e.at())));
      perBucket(e.lapsed(), 1, (bucket, amount) -> rows.add(
          new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), "lapse", bucket, amount, null, e.at())));
      perBucket(e.overage(), -1, (bucket, amount) -> rows.add(
          new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), "spend", bucket, amount, null, e.at())));
      for (CostLine line : e.breakdown()) {
        rows.add(new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), "usage", null, line.credits(), line.item(), e.at()));
      }
      if (e.shortfall() > 0) {
        rows.add(new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), "shortfall", null, e.shortfall(), null, e.at()));
      }
    } else if (event instanceof OrgEntity.ReservationReleased e) {
      String kind = e.expired() ? "reservation_expired" : "release";
      String sub = sub(poolOrgId, e.forOrgId());
      perBucket(e.returned(), 1, (bucket, amount) -> rows.add(
          new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), kind, bucket, amount, null, e.at())));
      perBucket(e.lapsed(), 1, (bucket, amount) -> rows.add(
          new CreditMovement(sub, e.agentId(), e.sessionId(), e.reservationId(), "lapse", bucket, amount, null, e.at())));
    }
    return rows;
  }

  private static String sub(String poolOrgId, String forOrgId) {
    return forOrgId == null || forOrgId.equals(poolOrgId) ? null : forOrgId;
  }

  private static void perBucket(Balances balances, int sign, java.util.function.BiConsumer<Bucket, Long> row) {
    for (Bucket bucket : Bucket.values()) {
      long amount = balances.in(bucket);
      if (amount > 0) {
        row.accept(bucket, sign * amount);
      }
    }
  }
}
