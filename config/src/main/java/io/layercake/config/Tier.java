package io.layercake.config;

import java.util.OptionalLong;

/**
 * A subscription tier. {@code monthlyCredits} is empty for an unlimited tier (Enterprise).
 * A daily allowance of 0 means the tier has none.
 */
public record Tier(
    String id, long monthlyPriceCents, OptionalLong monthlyCredits, long dailyCredits, boolean platformSms) {

  public boolean unlimited() {
    return monthlyCredits.isEmpty();
  }
}
