package io.layercake.http.admin;

import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.LedgerTotals;
import io.layercake.runtime.credits.OrgEntity;

/**
 * A credit pool as the API shows it: per bucket, held by turns in flight ({@code reserved}), what is
 * left to spend ({@code available}), and whether the agency has been warned.
 */
public record BalanceView(
    String poolOrgId,
    String tier,
    boolean unlimited,
    Balances buckets,
    long reserved,
    long available,
    int openReservations,
    String monthlyPeriod,
    long monthlyAllocation,
    boolean lowCredits,
    boolean exhausted,
    LedgerTotals totals) {

  public static BalanceView of(OrgEntity.Balance balance) {
    return new BalanceView(
        balance.poolOrgId(), balance.tier(), balance.unlimited(), balance.buckets(), balance.reserved(), balance.available(),
        balance.openReservations(), balance.monthlyPeriod(), balance.monthlyAllocation(), balance.lowCredits(),
        balance.exhausted(), balance.totals());
  }
}
