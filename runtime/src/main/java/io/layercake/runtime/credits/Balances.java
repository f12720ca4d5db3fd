package io.layercake.runtime.credits;

import io.layercake.runtime.serialization.JsonSerializable;

/** Credits per bucket. A bucket never goes below zero. */
public record Balances(long daily, long monthly, long purchased) implements JsonSerializable {
  public static final Balances EMPTY = new Balances(0, 0, 0);

  public Balances {
    if (daily < 0 || monthly < 0 || purchased < 0) {
      throw new IllegalArgumentException("a bucket cannot go below zero: " + daily + "/" + monthly + "/" + purchased);
    }
  }

  public static Balances of(Bucket bucket, long amount) {
    return EMPTY.with(bucket, amount);
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

  public Balances with(Bucket bucket, long amount) {
    return switch (bucket) {
      case DAILY -> new Balances(amount, monthly, purchased);
      case MONTHLY -> new Balances(daily, amount, purchased);
      case PURCHASED -> new Balances(daily, monthly, amount);
    };
  }

  public Balances plus(Bucket bucket, long amount) {
    return with(bucket, in(bucket) + amount);
  }

  public Balances plus(Balances other) {
    return new Balances(daily + other.daily, monthly + other.monthly, purchased + other.purchased);
  }

  /** Throws if any bucket would go below zero: taking what is not there is a bug. */
  public Balances minus(Balances other) {
    return new Balances(daily - other.daily, monthly - other.monthly, purchased - other.purchased);
  }

  /** Up to {@code amount} credits in spending order: daily first, then monthly, then purchased. */
  public Balances takeUpTo(long amount) {
    long fromDaily = Math.min(daily, Math.max(0, amount));
    long fromMonthly = Math.min(monthly, Math.max(0, amount - fromDaily));
    long fromPurchased = Math.min(purchased, Math.max(0, amount - fromDaily - fromMonthly));
    return new Balances(fromDaily, fromMonthly, fromPurchased);
  }

  public boolean isEmpty() {
    return total() == 0;
  }
}
