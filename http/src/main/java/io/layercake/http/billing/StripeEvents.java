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
      return applied.thenComposeAsync(outcome -> records.markProcessed(eventId, type, Instant.now()).thenApply(done -> {
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
      case "tier" -> recordSubscription(subscriptionId, orgId, Subscription.TIER, metadata.path("tier").asText(), null, created)
          .thenComposeAsync(current -> current.isEmpty()
              ? CompletableFuture.completedFuture(Outcome.IGNORED)
              : changeTier(orgId, current.get().tier(), eventId, created), executor);
      case "sms_number" -> recordSubscription(subscriptionId, orgId, Subscription.SMS_NUMBER, null,
              metadata.path("orderId").asText(), created)
          .thenComposeAsync(current -> current.isEmpty()
              ? cancelOrder(metadata.path("orderId").asText())
              : activateNumber(metadata.path("orderId").asText(), subscriptionId), executor);
      default -> CompletableFuture.completedFuture(Outcome.IGNORED);
    };
  }

  /**
   * Records the subscription a checkout started, unless a later event (its deletion) came first;
   * empty then, and the checkout must not take effect.
   */
  private CompletionStage<Optional<Subscription>> recordSubscription(
      String subscriptionId, String orgId, String kind, String tier, String orderId, Instant created) {
    return records.subscription(subscriptionId).thenComposeAsync(existing -> {
      if (existing.isPresent() && "canceled".equals(existing.get().status())) {
        return CompletableFuture.completedFuture(Optional.<Subscription>empty());
      }
      Subscription subscription = existing.orElse(new Subscription(subscriptionId, orgId, kind, tier, orderId, "active", null, created));
      Subscription merged = new Subscription(subscriptionId, orgId, kind, tier != null ? tier : subscription.tier(),
          orderId != null ? orderId : subscription.numberOrderId(), subscription.status(), subscription.currentPeriodEnd(),
          later(subscription.lastEventAt(), created));
      return records.saveSubscription(merged).thenApply(done -> Optional.of(merged));
    }, executor);
  }

  private CompletionStage<Outcome> activateNumber(String orderId, String subscriptionId) {
    return records.number(orderId).thenComposeAsync(order -> {
      if (order.isEmpty() || order.get().status() != SmsNumber.Status.PENDING) {
        return CompletableFuture.completedFuture(Outcome.IGNORED);
      }
      SmsNumber pending = order.get();
      return entities.ensure(pending.orgId())
          .thenComposeAsync(entityId -> numbers.purchase(pending.numberKey(), entityId), executor)
          .thenComposeAsync(number -> records.saveNumber(
              pending.with(SmsNumber.Status.ACTIVE, number.isEmpty() ? null : number, subscriptionId)), executor)
          .thenApply(saved -> Outcome.APPLIED);
    }, executor);
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
      if (existing.isPresent() && (existing.get().lastEventAt().isAfter(created) || "canceled".equals(existing.get().status()))) {
        return CompletableFuture.completedFuture(Outcome.IGNORED);
      }
      String orgId = existing.map(Subscription::orgId).orElse(metadata.path("organizationId").asText(""));
      String kind = existing.map(Subscription::kind).orElse(metadata.path("kind").asText(""));
      String tier = metadata.path("tier").asText(existing.map(Subscription::tier).orElse(null));
      String orderId = existing.map(Subscription::numberOrderId).orElse(metadata.path("orderId").asText(null));
      if (orgId.isEmpty() || kind.isEmpty()) {
        return CompletableFuture.completedFuture(Outcome.IGNORED);
      }
      Subscription next = new Subscription(subscriptionId, orgId, kind, tier, orderId, status, periodEnd, created);
      return records.saveSubscription(next).thenComposeAsync(saved -> {
        if (kind.equals(Subscription.SMS_NUMBER)) {
          return status.equals("canceled") ? cancelOrder(orderId) : CompletableFuture.completedFuture(Outcome.APPLIED);
        }
        boolean ended = status.equals("canceled") || status.equals("unpaid") || status.equals("incomplete_expired");
        if (ended) {
          return changeTier(orgId, "free", eventId, created);
        }
        boolean live = status.equals("active") || status.equals("trialing");
        return live && tier != null ? changeTier(orgId, tier, eventId, created) : CompletableFuture.completedFuture(Outcome.IGNORED);
      }, executor);
    }, executor);
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

  private CompletionStage<Outcome> changeTier(String orgId, String tier, String eventId, Instant at) {
    return organizations.changeTier(orgId, tier, "stripe:" + eventId)
        .thenApply(reply -> expect(reply, OrgEntity.Accepted.class, "tier change"))
        .thenComposeAsync(changed -> tier.equals("free") ? CompletableFuture.completedFuture(Outcome.APPLIED) : grant(orgId, tier, at),
            executor);
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
      throw new IllegalStateException("the " + what + " was refused: " + reply);
    }
    return Outcome.APPLIED;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
