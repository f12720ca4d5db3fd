package io.layercake.runtime.session;

import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A reservation the conversation keeps open after its turn settled, to spend on the turns that
 * follow without asking the organization (a credit lease). The turns are charged here, as they
 * happen; the organization learns what they cost when the lease goes back ({@link SessionEvent.LeaseReturned})
 * or when the turn that spends its last credits commits it.
 *
 * @param granted what the organization set aside
 * @param spent what the turns on it cost so far; {@code breakdown} adds up to it, one line per item
 */
public record Lease(String reservationId, long granted, long spent, List<CostLine> breakdown, Instant expiresAt)
    implements JsonSerializable {
  public Lease {
    breakdown = List.copyOf(breakdown);
  }

  /** The lease after a turn that cost {@code lines} more. */
  Lease spending(List<CostLine> lines) {
    LinkedHashMap<String, Long> byItem = new LinkedHashMap<>();
    breakdown.forEach(line -> byItem.merge(line.item(), line.credits(), Long::sum));
    lines.forEach(line -> byItem.merge(line.item(), line.credits(), Long::sum));
    List<CostLine> merged = byItem.entrySet().stream().map(entry -> new CostLine(entry.getKey(), entry.getValue())).toList();
    return new Lease(reservationId, granted, spent + lines.stream().mapToLong(CostLine::credits).sum(), merged, expiresAt);
  }

  /** A new lease of {@code granted} credits, nothing spent yet. */
  static Lease of(String reservationId, long granted, Instant expiresAt) {
    return new Lease(reservationId, granted, 0, List.of(), expiresAt);
  }
}
