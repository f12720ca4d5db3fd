package io.layercake.runtime.credits;

import io.layercake.runtime.serialization.JsonSerializable;

/** Credits per bucket. Never negative. */
public record Balances(long daily, long monthly, long purchased) implements JsonSerializable {
  public static final Balances EMPTY = new Balances(0, 0, 0);

  public Balances {
    if (daily < 0 || monthly < 0 || purchased < 0) {
      throw new IllegalArgumentException("a bucket cannot go below zero");
    }
  }

  public long total() {
    return daily + monthly + purchased;
  }

  public long in(Bucket bucket) {
    return switch (bucket) {
      case DAILY -> daily;
      case MONTHLY -> monthly;
      case PURCHASED -> purchased;
    };
  }

  public Balances plus(Bucket bucket, long amount) {
    return switch (bucket) {
      case DAILY -> new Balances(daily + amount, monthly, purchased);
      case MONTHLY -> new Balances(daily, monthly + amount, purchased);
      case PURCHASED -> new Balances(daily, monthly, purchased + amount);
    };
  }
}
