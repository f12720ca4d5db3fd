package io.layercake.runtime.credits;

import io.layercake.runtime.serialization.JsonSerializable;

/**
 * Running totals of everything that ever moved. The ledger's invariant:
 * {@code granted + purchased = balance + committed + reserved + expired}.
 * {@code unmetered} (usage of an unlimited tier) and {@code shortfall} (cost that found no credits)
 * are usage outside the balance.
 */
public record LedgerTotals(long granted, long purchased, long committed, long expired, long unmetered, long shortfall)
    implements JsonSerializable {
  public static final LedgerTotals ZERO = new LedgerTotals(0, 0, 0, 0, 0, 0);

  LedgerTotals plusGranted(long amount, long expiredNow) {
    return new LedgerTotals(granted + amount, purchased, committed, expired + expiredNow, unmetered, shortfall);
  }

  LedgerTotals plusPurchased(long amount) {
    return new LedgerTotals(granted, purchased + amount, committed, expired, unmetered, shortfall);
  }

  LedgerTotals plusCommitted(long charged, long unmeteredNow, long shortfallNow) {
    return new LedgerTotals(granted, purchased, committed + charged, expired, unmetered + unmeteredNow, shortfall + shortfallNow);
  }

  /** Held credits of a period that ended while they were held: they expire instead of coming back. */
  LedgerTotals plusLapsed(long lapsed) {
    return new LedgerTotals(granted, purchased, committed, expired + lapsed, unmetered, shortfall);
  }

  /** Whether credits in the balance and in open reservations account for everything granted and bought. */
  public boolean balances(long balance, long reserved) {
    return granted + purchased == balance + committed + reserved + expired;
  }
}
