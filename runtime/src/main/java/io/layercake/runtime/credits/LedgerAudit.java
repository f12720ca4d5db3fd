package io.layercake.runtime.credits;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays one organization's events and checks its ledger from the facts themselves: what was
 * granted, bought, expired and charged (summed from the events) must equal what sits in the
 * buckets plus what open reservations hold, no bucket may ever go below zero, and the entity's own
 * running totals must agree with the sums.
 */
public final class LedgerAudit {
  private final String orgId;
  private OrgEntity.State state = OrgEntity.State.UNOPENED;
  private final Map<String, Long> openHolds = new HashMap<>();
  /** Per conversation: what the ledger charged, and the reservations (leases) it still holds open. */
  private final Map<String, Long> chargedBySession = new HashMap<>();
  private final Map<String, String> openSessionByReservation = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private long granted;
  private long purchased;
  private long expired;
  private long committed;
  private long events;

  public LedgerAudit(String orgId) {
    this.orgId = orgId;
  }

  public LedgerAudit add(OrgEntity.Event event) {
    events++;
    count(event);
    try {
      state = state.apply(event);
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add("event " + events + " (" + event.getClass().getSimpleName() + ") cannot be applied: " + e.getMessage());
    }
    return this;
  }

  private void count(OrgEntity.Event event) {
    if (event instanceof OrgEntity.Granted e) {
      granted += e.amount();
      expired += e.expired();
    } else if (event instanceof OrgEntity.CreditsPurchased e) {
      purchased += e.credits();
    } else if (event instanceof OrgEntity.CreditsReserved e) {
      openHolds.put(e.reservation().reservationId(), e.reservation().holds().total());
      if (e.reservation().sessionId() != null) {
        openSessionByReservation.put(e.reservation().reservationId(), e.reservation().sessionId());
      }
    } else if (event instanceof OrgEntity.ReservationCommitted e) {
      committed += e.charged();
      openSessionByReservation.remove(e.reservationId());
      if (e.sessionId() != null) {
        chargedBySession.merge(e.sessionId(), e.charged(), Long::sum);
      }
      expired += e.lapsed().total();
      long settledHold = e.fromHold().total() + e.returned().total() + e.lapsed().total();
      Long held = openHolds.remove(e.reservationId());
      if (held != null && held != settledHold) {
        problems.add("reservation " + e.reservationId() + " held " + held + " but settled " + settledHold);
      }
    } else if (event instanceof OrgEntity.ReservationReleased e) {
      expired += e.lapsed().total();
      openSessionByReservation.remove(e.reservationId());
      long releasedHold = e.returned().total() + e.lapsed().total();
      Long held = openHolds.remove(e.reservationId());
      if (held == null || held != releasedHold) {
        problems.add("reservation " + e.reservationId() + " held " + held + " but released " + releasedHold);
      }
    }
  }

  public Finding finish() {
    List<String> found = new ArrayList<>(problems);
    long balance = state.balances().total();
    long reserved = openHolds.values().stream().mapToLong(Long::longValue).sum();
    if (granted + purchased != balance + committed + reserved + expired) {
      found.add("granted " + granted + " + purchased " + purchased + " != balance " + balance + " + committed " + committed
          + " + reserved " + reserved + " + expired " + expired);
    }
    if (reserved != state.reserved()) {
      found.add("open reservations hold " + state.reserved() + " in the entity but " + reserved + " by the events");
    }
    LedgerTotals totals = state.totals();
    if (totals.granted() != granted || totals.purchased() != purchased || totals.committed() != committed
        || totals.expired() != expired) {
      found.add("the entity's totals " + totals + " disagree with the events");
    }
    return new Finding(orgId, events, granted, purchased, committed, expired, balance, reserved, found);
  }

  /** What this organization's ledger charged each conversation, for {@link ConversationChargeCheck}. */
  public ConversationChargeCheck.Ledger conversationCharges() {
    return new ConversationChargeCheck.Ledger(orgId, Map.copyOf(chargedBySession), java.util.Set.copyOf(openSessionByReservation.values()));
  }

  /** The outcome for one organization; clean when {@code problems} is empty. */
  public record Finding(
      String orgId, long events, long granted, long purchased, long committed, long expired, long balance, long reserved,
      List<String> problems) {
    public boolean clean() {
      return problems.isEmpty();
    }
  }
}
