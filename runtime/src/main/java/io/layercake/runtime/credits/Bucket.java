package io.layercake.runtime.credits;

/** Where credits sit. Spending takes daily first, then monthly, then purchased. */
public enum Bucket {
  DAILY,
  MONTHLY,
  PURCHASED
}
