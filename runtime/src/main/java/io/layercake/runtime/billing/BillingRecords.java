package io.layercake.runtime.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What billing remembers outside the ledger: each organization's Stripe customer, the Stripe
 * events already applied, the subscriptions (to apply their events in order), the SMS numbers
 * organizations buy, and the notifications billing owes them.
 */
public interface BillingRecords {
  CompletionStage<Optional<String>> customer(String orgId);

  /** Stores the organization's customer unless it has one; answers the one it keeps. */
  CompletionStage<String> saveCustomer(String orgId, String customerId);

  CompletionStage<Boolean> isProcessed(String eventId);

  CompletionStage<Void> markProcessed(String eventId, String type, Instant at);

  CompletionStage<Optional<Subscription>> subscription(String subscriptionId);

  CompletionStage<Void> saveSubscription(Subscription subscription);

  /**
   * Stores the subscription's state from an event, unless a newer event was applied already or the
   * subscription was deleted; true when stored. Concurrent deliveries cannot both win.
   */
  CompletionStage<Boolean> advance(Subscription subscription);

  /** Moves a pending number order to purchasing; true for the one caller that may buy the number. */
  CompletionStage<Boolean> startPurchase(String orderId);

  CompletionStage<List<Subscription>> subscriptions(String orgId);

  CompletionStage<SmsNumber> saveNumber(SmsNumber number);

  CompletionStage<Optional<SmsNumber>> number(String orderId);

  CompletionStage<List<SmsNumber>> numbers(String orgId);

  /** A notification for the organization, once per Stripe event. */
  CompletionStage<Void> notify(String orgId, String kind, String payloadJson, String eventId, Instant at);

  /**
   * A Stripe subscription: a tier's, or an SMS number's ({@code numberOrderId}). {@code lastEventAt}
   * is the creation time of the newest event applied, so older ones arriving late change nothing.
   */
  record Subscription(
      String subscriptionId, String orgId, String kind, String tier, String numberOrderId, String status,
      Instant currentPeriodEnd, Instant lastEventAt) {
    public static final String TIER = "tier";
    public static final String SMS_NUMBER = "sms_number";
  }

  /** An SMS number an organization orders, pays for monthly, and may cancel. Prices in cents. */
  record SmsNumber(
      String orderId, String orgId, String numberKey, String number, String country, long monthlyPriceCents,
      long setupPriceCents, String currency, Status status, String subscriptionId) {
    public enum Status {
      PENDING,
      /** Being bought at Infobip; an order left here by a crash needs an operator's look. */
      PURCHASING,
      ACTIVE,
      CANCELLED
    }

    public SmsNumber with(Status nextStatus, String nextNumber, String nextSubscriptionId) {
      return new SmsNumber(orderId, orgId, numberKey, nextNumber == null ? number : nextNumber, country, monthlyPriceCents,
          setupPriceCents, currency, nextStatus, nextSubscriptionId == null ? subscriptionId : nextSubscriptionId);
    }
  }
}
