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

  /** Records what became of the event (once; a second record of the same id changes nothing). */
  CompletionStage<Void> markProcessed(ProcessedEvent event);

  /** Events with this outcome ({@code applied} or {@code ignored}), newest first. */
  CompletionStage<List<ProcessedEvent>> events(String outcome, int limit);

  CompletionStage<Optional<ProcessedEvent>> event(String eventId);

  /**
   * Claims an ignored event for an operator's application to an organization: true when this call
   * claimed it or an identical claim (same organization and credits) exists that is not applied yet;
   * false when it is not ignored, or was claimed for something else, or is applied already.
   */
  CompletionStage<Boolean> claimResolution(String eventId, String orgId, long credits, String by, Instant at);

  /** Marks a claimed resolution applied (after the ledger took it) or gives the claim up (the ledger refused). */
  CompletionStage<Void> finishResolution(String eventId, boolean applied);

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
   * A Stripe event as processed: its outcome ({@link #APPLIED} or {@link #IGNORED}) and why it was
   * ignored, a summary of its object (JSON: ids, amount, metadata) for an operator, and, when an
   * operator applied an ignored event to an organization, that {@link Resolution}.
   */
  record ProcessedEvent(
      String eventId, String type, String outcome, String reason, Instant createdAt, Instant processedAt,
      String summary, Resolution resolution) {
    public static final String APPLIED = "applied";
    public static final String IGNORED = "ignored";
  }

  /**
   * An operator's application of an ignored event: {@code status} is {@code pending} until the ledger
   * took it, then {@code applied}.
   */
  record Resolution(String status, String orgId, long credits, String by, Instant at) {
    public static final String PENDING = "pending";
    public static final String DONE = "applied";
  }

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
