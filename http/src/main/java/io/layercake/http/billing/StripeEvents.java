package io.layercake.http.billing;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.Catalog;
import io.layercake.http.providers.InfobipEntities;
import io.layercake.http.providers.InfobipNumbers;
import io.layercake.http.server.Json;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.billing.BillingRecords.SmsNumber;
import io.layercake.runtime.billing.BillingRecords.Subscription;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Stripe's events to the ledger, tiers and SMS numbers, each event once (by id), read from
 * the raw JSON so events of any API version apply, in both the pre-2025 and current shapes. Events
 * may arrive late and out of order: a subscription's events older than the newest one applied
 * change nothing, and a deleted subscription is never brought back.
 */
public final class StripeEvents {
  private static final Logger log = LoggerFactory.getLogger(StripeEvents.class);

  private final Catalog catalog;
  private final BillingRecords records;
  private final Organizations organizations;
  private final InfobipEntities entities;
  private final InfobipNumbers numbers;
  private final Executor executor;

  public StripeEvents(Catalog catalog, BillingRecords records, Organizations organizations, InfobipEntities entities,
      InfobipNumbers numbers, Executor executor) {
    this.catalog = catalog;
    this.records = records;
    this.organizations = organizations;
    this.entities = entities;
    this.numbers = numbers;
    this.executor = executor;
  }

  public enum Outcome {
    APPLIED,
    DUPLICATE,
    IGNORED
  }

  /** Completes once the event is applied and recorded; fails when Stripe should deliver it again. */
  public CompletionStage<Outcome> apply(JsonNode event) {
    String eventId = event.path("id").asText("");
    String type = event.path("type").asText("");
    if (eventId.isEmpty() || type.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.IGNORED);
    }
    Instant created = Instant.ofEpochSecond(event.path("created").asLong(0));
    JsonNode object = event.path("data").path("object");
    return records.isProcessed(eventId).thenComposeAsync(processed -> {
      if (processed) {
        return CompletableFuture.completedFuture(Outcome.DUPLICATE);
      }
      CompletionStage<Outcome> applied = switch (type) {
        case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> checkoutCompleted(eventId, created, object);
        case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
            subscriptionChanged(eventId, type, created, object);
        case "invoice.paid" -> invoicePaid(object);
        case "invoice.payment_failed" -> paymentFailed(eventId, created, object);
        default -> CompletableFuture.completedFuture(Outcome.IGNORED);
      };
      return applied.exceptionallyCompose(failure -> {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        if (cause instanceof Refused refused) {
          log.error("Stripe event {} ({}) cannot be applied and is dropped: {}", eventId, type, refused.getMessage());
          return CompletableFuture.completedFuture(Outcome.IGNORED);
        }
        return CompletableFuture.failedFuture(failure);
      }).thenComposeAsync(outcome -> records.markProcessed(eventId, type, Instant.now()).thenApply(done -> {
        log.info("Stripe event {} ({}): {}", eventId, type, outcome);
        return outcome;
      }), executor);
    }, executor);
  }

  // ---- checkout ----

  private CompletionStage<Outcome> checkoutCompleted(String eventId, Instant created, JsonNode session) {
    String paymentStatus = session.path("payment_status").asText("");
    if (!paymentStatus.equals("paid") && !paymentStatus.equals("no_payment_required")) {
      return CompletableFuture.completedFuture(Outcome.IGNORED);
    }
    JsonNode metadata = session.path("metadata");
    String orgId = metadata.path("organizationId").asText(session.path("client_reference_id").asText(""));
    String subscriptionId = session.path("subscription").asText("");
    return switch (metadata.path("kind").asText("")) {
      case "credit_pack" -> organizations.addPurchased(orgId, "stripe:" + session.path("id").asText(),
              metadata.path("credits").asLong(0))
          .thenApply(reply -> expect(reply, OrgEntity.CurrentBalance.class, "credit pack"));
      case "tier" -> live(new Subscription(subscriptionId, orgId, Subscription.TIER, metadata.path("tier").asText(), null,
              "active", null, created))
          .thenComposeAsync(live -> !live
              ? CompletableFuture.completedFuture(Outcome.IGNORED)
              : changeTier(orgId, metadata.path("tier").asText(), eventId)
                  .thenComposeAsync(changed -> grant(orgId, metadata.path("tier").asText(), created), executor), executor);
      case "sms_number" -> live(new Subscription(subscriptionId, orgId, Subscription.SMS_NUMBER, null,
              metadata.path("orderId").asText(), "active", null, created))
          .thenComposeAsync(live -> live
              ? activateNumber(metadata.path("orderId").asText(), subscriptionId)
              : cancelOrder(metadata.path("orderId").asText()), executor);
      default -> CompletableFuture.completedFuture(Outcome.IGNORED);
    };
  }

  /**
   * Records the subscription a checkout started (unless newer events about it came first) and says
   * whether it is still live: a checkout whose subscription was deleted or went unpaid meanwhile
   * must not take effect.
   */
  private CompletionStage<Boolean> live(Subscription started) {
    return records.advance(started).thenComposeAsync(stored -> stored
        ? CompletableFuture.completedFuture(true)
        : records.subscription(started.subscriptionId()).thenApply(current -> current.map(s -> live(s.status())).orElse(false)),
        executor);
  }

  private static boolean live(String status) {
    return status.equals("active") || status.equals("trialing");
  }

  /** Buys the number once: only the delivery that moves the order from pending to purchasing buys it. */
  private CompletionStage<Outcome> activateNumber(String orderId, String subscriptionId) {
    return records.number(orderId).thenComposeAsync(order -> order.isEmpty() || order.get().status() != SmsNumber.Status.PENDING
        ? CompletableFuture.completedFuture(Outcome.IGNORED)
        : records.startPurchase(orderId).thenComposeAsync(mine -> mine ? purchase(order.get(), subscriptionId)
            : CompletableFuture.completedFuture(Outcome.IGNORED), executor), executor);
  }

  private CompletionStage<Outcome> purchase(SmsNumber pending, String subscriptionId) {
    return entities.ensure(pending.orgId())
        .thenComposeAsync(entityId -> numbers.purchase(pending.numberKey(), entityId), executor)
        .thenComposeAsync(number -> records.saveNumber(
            pending.with(SmsNumber.Status.ACTIVE, number.isEmpty() ? null : number, subscriptionId)), executor)
        .thenApply(saved -> Outcome.APPLIED)
        .exceptionallyCompose(failure -> records.saveNumber(pending)
            .thenApply(reverted -> {
              throw new java.util.concurrent.CompletionException(failure);
            }));
  }

  private CompletionStage<Outcome> cancelOrder(String orderId) {
    return records.number(orderId).thenComposeAsync(order -> order.isEmpty() || order.get().status() == SmsNumber.Status.CANCELLED
        ? CompletableFuture.completedFuture(Outcome.IGNORED)
        : cancelNumber(order.get()), executor);
  }

  // ---- subscriptions ----

  private CompletionStage<Outcome> subscriptionChanged(String eventId, String type, Instant created, JsonNode subscription) {
    String subscriptionId = subscription.path("id").asText("");
    JsonNode metadata = subscription.path("metadata");
    String status = type.endsWith(".deleted") ? "canceled" : subscription.path("status").asText("");
    Instant periodEnd = periodEnd(subscription);
    return records.subscription(subscriptionId).thenComposeAsync(existing -> {
      String orgId = existing.map(Subscription::orgId).orElse(metadata.path("organizationId").asText(""));
      String kind = existing.map(Subscription::kind).orElse(metadata.path("kind").asText(""));
      String tier = metadata.path("tier").asText(existing.map(Subscription::tier).orElse(null));
      String orderId = existing.map(Subscription::numberOrderId).orElse(metadata.path("orderId").asText(null));
      if (orgId.isEmpty() || kind.isEmpty()) {
        return CompletableFuture.completedFuture(Outcome.IGNORED);
      }
      Subscription next = new Subscription(subscriptionId, orgId, kind, tier, orderId, status, periodEnd, created);
      return records.advance(next).thenComposeAsync(stored -> {
        if (!stored) {
          return CompletableFuture.completedFuture(Outcome.IGNORED);
        }
        if (kind.equals(Subscription.SMS_NUMBER)) {
          return status.equals("canceled") ? cancelOrder(orderId) : CompletableFuture.completedFuture(Outcome.APPLIED);
        }
        if (status.equals("canceled") || status.equals("unpaid") || status.equals("incomplete_expired")) {
          return endTier(orgId, subscriptionId, eventId);
        }
        return live(status) && tier != null ? changeTier(orgId, tier, eventId) : CompletableFuture.completedFuture(Outcome.IGNORED);
      }, executor);
    }, executor);
  }

  /** A tier subscription ended: Free, unless another tier subscription of the organization is still live. */
  private CompletionStage<Outcome> endTier(String orgId, String subscriptionId, String eventId) {
    return records.subscriptions(orgId).thenComposeAsync(all -> all.stream().anyMatch(other ->
            other.kind().equals(Subscription.TIER) && !other.subscriptionId().equals(subscriptionId) && live(other.status()))
        ? CompletableFuture.completedFuture(Outcome.APPLIED)
        : changeTier(orgId, "free", eventId), executor);
  }

  /** The period end moved from the subscription to its items in 2025-03-31.basil: the item's first, the old field second. */
  static Instant periodEnd(JsonNode subscription) {
    JsonNode item = subscription.path("items").path("data").path(0).path("current_period_end");
    JsonNode end = item.isNumber() ? item : subscription.path("current_period_end");
    return end.isNumber() ? Instant.ofEpochSecond(end.asLong()) : null;
  }

  // ---- invoices ----

  private CompletionStage<Outcome> invoicePaid(JsonNode invoice) {
    if (!"subscription_cycle".equals(invoice.path("billing_reason").asText(""))) {
      return CompletableFuture.completedFuture(Outcome.IGNORED);
    }
    return records.subscription(subscriptionOf(invoice)).thenComposeAsync(subscription -> {
      if (subscription.isEmpty() || !subscription.get().kind().equals(Subscription.TIER)) {
        return CompletableFuture.completedFuture(Outcome.IGNORED);
      }
      JsonNode start = invoice.path("lines").path("data").path(0).path("period").path("start");
      Instant periodStart = start.isNumber() ? Instant.ofEpochSecond(start.asLong()) : Instant.ofEpochSecond(invoice.path("period_end").asLong());
      return grant(subscription.get().orgId(), subscription.get().tier(), periodStart);
    }, executor);
  }

  private CompletionStage<Outcome> paymentFailed(String eventId, Instant created, JsonNode invoice) {
    return records.subscription(subscriptionOf(invoice)).thenComposeAsync(subscription -> {
      String orgId = subscription.map(Subscription::orgId)
          .orElse(invoice.path("parent").path("subscription_details").path("metadata").path("organizationId").asText(""));
      if (orgId.isEmpty()) {
        return CompletableFuture.completedFuture(Outcome.IGNORED);
      }
      String payload = Json.write(Map.of(
          "invoice", invoice.path("id").asText(""),
          "amountDue", invoice.path("amount_due").asLong(0),
          "currency", invoice.path("currency").asText(""),
          "attempt", invoice.path("attempt_count").asLong(0)));
      return records.notify(orgId, "billing.payment_failed", payload, eventId, created).thenApply(done -> Outcome.APPLIED);
    }, executor);
  }

  /** The invoice's subscription: top-level before 2025-03-31.basil, under {@code parent.subscription_details} since. */
  static String subscriptionOf(JsonNode invoice) {
    String top = invoice.path("subscription").asText("");
    return top.isEmpty() ? invoice.path("parent").path("subscription_details").path("subscription").asText("") : top;
  }

  // ---- effects ----

  /** Only the tier: monthly credits come with a paid checkout or a paid renewal invoice, never with a mere update. */
  private CompletionStage<Outcome> changeTier(String orgId, String tier, String eventId) {
    return organizations.changeTier(orgId, tier, "stripe:" + eventId)
        .thenApply(reply -> expect(reply, OrgEntity.Accepted.class, "tier change"));
  }

  /** The tier's monthly credits for the month that starts at {@code at}; a month already granted changes nothing. */
  private CompletionStage<Outcome> grant(String orgId, String tierId, Instant at) {
    Optional<Long> credits = catalog.tier(tierId).flatMap(tier -> tier.monthlyCredits().isPresent()
        ? Optional.of(tier.monthlyCredits().getAsLong()) : Optional.empty());
    if (credits.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.APPLIED);
    }
    String month = YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    return organizations.grant(orgId, month, Bucket.MONTHLY, credits.get())
        .thenApply(reply -> expect(reply, OrgEntity.CurrentBalance.class, "grant"));
  }

  private CompletionStage<Outcome> cancelNumber(SmsNumber number) {
    CompletionStage<Void> atInfobip = number.status() == SmsNumber.Status.ACTIVE
        ? numbers.cancel(number.numberKey()) : CompletableFuture.completedFuture(null);
    return atInfobip.thenComposeAsync(done -> records.saveNumber(number.with(SmsNumber.Status.CANCELLED, null, null)), executor)
        .thenApply(saved -> Outcome.APPLIED);
  }

  private static Outcome expect(OrgEntity.Reply reply, Class<?> wanted, String what) {
    if (!wanted.isInstance(reply)) {
      throw new Refused("the " + what + " was refused: " + reply);
    }
    return Outcome.APPLIED;
  }

  /** The ledger refused the event's effect; redelivering the event cannot change that. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }
}
