package io.layercake.runtime.session;

import io.layercake.config.SessionSettings;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.session.SessionState.Turn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A conversation's credit lease: what it asks its organization for, when a turn may be charged on
 * the lease the conversation holds, and what the turn that ends a lease commits.
 *
 * <p>A turn reserves several turns' worth ({@link SessionSettings#creditLeaseTurns()} and up to half as many again,
 * by conversation and turn: {@link InStep#leaseTurns}); the organization grants less when credits run low, down to
 * the turn's own estimate. A turn charged on the lease costs the organization nothing: no ask, no event. The lease
 * ends with the turn that leaves too little for another (that turn commits the whole lease, its earlier turns
 * included), or goes back when the conversation is idle ({@link InStep#leaseIdle}), stops or recovers. SMS turns are charged per segment once
 * the provider took the reply, so they always reserve on their own. With one turn per lease every
 * turn reserves and commits its own credits.
 */
final class CreditLeases {
  private final String sessionId;
  private final int turns;
  private final Duration idle;

  CreditLeases(String sessionId, SessionSettings settings) {
    this.sessionId = sessionId;
    this.turns = settings.creditLeaseTurns();
    this.idle = settings.creditLeaseIdle();
  }

  /** What the organization said of the reservation of the turn in flight, in this incarnation. */
  record Held(String reservationId, long amount, Instant expiresAt, boolean open) {
    static Held of(OrgEntity.Reserved reserved) {
      return new Held(reserved.reservationId(), reserved.amount(), reserved.expiresAt(), reserved.open());
    }
  }

  /** What a turn closing its reservation commits: the lease's earlier turns, then its own costs. */
  record Closing(long spentBefore, long total, List<CostLine> breakdown) {
    /** The turn's own share of what the organization charged for the whole reservation. */
    long turnsShare(long charged) {
      return Math.max(0, charged - spentBefore);
    }
  }

  /** How long this conversation's lease waits unused before it goes back (at most the setting: {@link InStep#leaseIdle}). */
  Duration returnAfter() {
    return InStep.leaseIdle(sessionId, idle);
  }

  /** How many credits turn {@code turn}, estimated at {@code estimate}, asks for (the same each time it asks). */
  long amount(long estimate, boolean sms, int turn) {
    return leases(sms) ? Math.min(OrgEntity.MAX_CREDITS, estimate * InStep.leaseTurns(sessionId, turn, turns)) : estimate;
  }

  /** The least the organization may grant: the turn's own estimate for a lease; 0 for an exact reservation. */
  long atLeast(long estimate, boolean sms) {
    return leases(sms) ? estimate : 0;
  }

  /** The turn may start on the lease without asking the organization: this incarnation knows it is open, and it has time left. */
  boolean spendable(Held held, Lease lease, Instant now) {
    return held != null && lease != null && held.open() && held.reservationId().equals(lease.reservationId())
        && now.plus(idle).isBefore(lease.expiresAt());
  }

  /**
   * The lease after {@code turn} is charged {@code costs} on it; empty when the turn must commit
   * its reservation instead: it is not known to be open, it is SMS, or it would leave too little
   * credit or time for another turn.
   */
  Optional<Lease> keeping(Held held, Lease lease, Turn turn, List<CostLine> costs, boolean sms, Instant now) {
    if (!leases(sms) || held == null || !held.open() || !held.reservationId().equals(turn.reservationId())) {
      return Optional.empty();
    }
    Lease base = onTurn(lease, turn) ? lease : Lease.of(held.reservationId(), held.amount(), held.expiresAt());
    Lease after = base.spending(costs);
    boolean roomForAnother = after.spent() + turn.estimate() <= after.granted() && now.plus(idle).isBefore(after.expiresAt());
    return roomForAnother ? Optional.of(after) : Optional.empty();
  }

  /** What {@code turn} commits when it closes its reservation. */
  Closing closing(Lease lease, Turn turn, List<CostLine> costs) {
    if (!onTurn(lease, turn)) {
      return new Closing(0, costs.stream().mapToLong(CostLine::credits).sum(), costs);
    }
    Lease all = lease.spending(costs);
    return new Closing(lease.spent(), all.spent(), all.breakdown());
  }

  /** The turn runs on the conversation's lease. */
  static boolean onTurn(Lease lease, Turn turn) {
    return lease != null && turn != null && lease.reservationId().equals(turn.reservationId());
  }

  private boolean leases(boolean sms) {
    return turns > 1 && !sms;
  }
}
