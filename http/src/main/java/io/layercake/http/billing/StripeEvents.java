package io.layercake.http.billing;

import io.layercake.runtime.concurrent.Stages;
import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.Catalog;
import io.layercake.http.providers.InfobipEntities;
import io.layercake.http.providers.InfobipNumbers;
import io.layercake.http.server.Json;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.billing.BillingRecords.ProcessedEvent;
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

  /** What became of an event, and why when it was ignored. */
  public record Result(Outcome outcome, String reason) {
    static final Result APPLIED = new Result(Outcome.APPLIED, null);
    static final Result DUPLICATE = new Result(Outcome.DUPLICATE, null);

    static Result ignored(String reason) {
      return new Result(Outcome.IGNORED, reason);
    }
  }

  /** Completes once the event is applied (or ignored) and recorded; fails when Stripe should deliver it again. */
  public CompletionStage<Result> apply(JsonNode event) {
    String eventId = event.path("id").asText("");
    String type = event.path("type").asText("");
    if (eventId.isEmpty() || type.isEmpty()) {
      return CompletableFuture.completedFuture(Result.ignored("the event has no id or type"));
    }
    Instant created = Instant.ofEpochSecond(event.path("created").asLong(0));
    JsonNode object = event.path("data").path("object");
    return records.isProcessed(eventId).thenComposeAsync(processed -> {
      if (processed) {
        return CompletableFuture.completedFuture(Result.DUPLICATE);
      }
      CompletionStage<Result> applied = switch (type) {
        case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> checkoutCompleted(eventId, created, object);
        case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" ->
            subscriptionChanged(eventId, type, created, object);
        case "invoice.paid" -> invoicePaid(object);
        case "invoice.payment_failed" -> paymentFailed(eventId, created, object);
        default -> ignored("events of type " + type + " are not used");
      };
      return applied.exceptionallyCompose(failure -> {
        Throwable cause = Stages.cause(failure);
        if (cause instanceof Refused refused) {
          log.error("Stripe event {} ({}) cannot be applied and is dropped: {}", eventId, type, refused.getMessage());
          return CompletableFuture.completedFuture(Result.ignored(refused.getMessage()));
        }
        return CompletableFuture.failedFuture(failure);
      }).thenComposeAsync(result -> records.markProcessed(processed(eventId, type, created, object, result))
          .thenApply(done -> {
            if (result.outcome() == Outcome.IGNORED) {
              log.info("Stripe event {} ({}): ignored: {}", eventId, type, result.reason());
            } else {
              log.info("Stripe event {} ({}): {}", eventId, type, result.outcome());
            }
            return result;
          }), executor);
    }, executor);
  }

  /** The record of a processed event: an ignored one keeps its reason and a summary of its object for operators. */
  private static ProcessedEvent processed(String eventId, String type, Instant created, JsonNode object, Result result) {
    boolean ignored = result.outcome() == Outcome.IGNORED;
    return new ProcessedEvent(eventId, type, ignored ? ProcessedEvent.IGNORED : ProcessedEvent.APPLIED, result.reason(),
        created, Instant.now(), ignored ? StripeEventSummary.of(object) : null, null);
  }

  private static CompletionStage<Result> ignored(String reason) {
    return CompletableFuture.completedFuture(Result.ignored(reason));
  }

  private static CompletionStage<Result> applied() {
    return CompletableFuture.completedFuture(Result.APPLIED);
  }

  // ---- checkout ----

  private CompletionStage<Result> checkoutCompleted(String eventId, Instant created, JsonNode session) {
    String paymentStatus = session.path("payment_status").asText("");
    if (!paymentStatus.equals("paid") && !paymentStatus.equals("no_payment_required")) {
      return ignored("checkout session " + session.path("id").asText() + " is not paid (payment_status "
          + paymentStatus + ")");
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
              ? ignored("subscription " + subscriptionId + " ended before its checkout arrived")
              : changeTier(orgId, metadata.path("tier").asText(), eventId)
                  .thenComposeAsync(changed -> grant(orgId, metadata.path("tier").asText(), created), executor), executor);
      case "sms_number" -> live(new Subscription(subscriptionId, orgId, Subscription.SMS_NUMBER, null,
              metadata.path("orderId").asText(), "active", null, created))
          .thenComposeAsync(live -> live
              ? activateNumber(metadata.path("orderId").asText(), subscriptionId)
              : cancelOrder(metadata.path("orderId").asText()), executor);
      default -> ignored("checkout session " + session.path("id").asText() + " was not created by Layercake: "
          + (metadata.path("kind").asText("").isEmpty()
              ? "its metadata has no kind" : "unknown kind " + metadata.path("kind").asText())
          + " (metadata " + metadata + "); an operator can apply it to an organization");
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
  private CompletionStage<Result> activateNumber(String orderId, String subscriptionId) {
    return records.number(orderId).thenComposeAsync(order -> order.isEmpty() || order.get().status() != SmsNumber.Status.PENDING
        ? ignored("number order " + orderId
            + (order.isEmpty() ? " is unknown" : " is " + order.get().status() + ", not pending"))
        : records.startPurchase(orderId).thenComposeAsync(mine -> mine ? purchase(order.get(), subscriptionId)
            : ignored("number order " + orderId + " is being bought by another delivery"), executor), executor);
  }

  private CompletionStage<Result> purchase(SmsNumber pending, String subscriptionId) {
    return entities.ensure(pending.orgId())
        .thenComposeAsync(entityId -> numbers.purchase(pending.numberKey(), entityId), executor)
        .thenComposeAsync(number -> records.saveNumber(
            pending.with(SmsNumber.Status.ACTIVE, number.isEmpty() ? null : number, subscriptionId)), executor)
        .thenApply(saved -> Result.APPLIED)
        .exceptionallyCompose(failure -> records.saveNumber(pending)
            .thenApply(reverted -> {
              throw new java.util.concurrent.CompletionException(failure);
            }));
  }

  private CompletionStage<Result> cancelOrder(String orderId) {
    return records.number(orderId).thenComposeAsync(order -> order.isEmpty() || order.get().status() == SmsNumber.Status.CANCELLED
        ? ignored("number order " + orderId + (order.isEmpty() ? " is unknown" : " is cancelled already"))
        : cancelNumber(order.get()), executor);
  }

  // ---- subscriptions ----

  private CompletionStage<Result> subscriptionChanged(String eventId, String type, Instant created, JsonNode subscription) {
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
        return ignored("subscription " + subscriptionId
            + " was not created by Layercake: no organizationId and kind in its metadata");
      }
      Subscription next = new Subscription(subscriptionId, orgId, kind, tier, orderId, status, periodEnd, created);
      return records.advance(next).thenComposeAsync(stored -> {
        if (!stored) {
          return ignored("subscription " + subscriptionId + " has ended or a newer event about it was applied already");
        }
        if (kind.equals(Subscription.SMS_NUMBER)) {
          return status.equals("canceled") ? cancelOrder(orderId) : CompletableFuture.completedFuture(Result.APPLIED);
        }
        if (status.equals("canceled") || status.equals("unpaid") || status.equals("incomplete_expired")) {
          return endTier(orgId, subscriptionId, eventId);
        }
        return live(status) && tier != null ? changeTier(orgId, tier, eventId)
            : ignored("subscription " + subscriptionId + " is " + status + (tier == null ? " and names no tier" : "")
                + ": no tier change");
      }, executor);
    }, executor);
  }

  /** A tier subscription ended: Free, unless another tier subscription of the organization is still live. */
  private CompletionStage<Result> endTier(String orgId, String subscriptionId, String eventId) {
    return records.subscriptions(orgId).thenComposeAsync(all -> all.stream().anyMatch(other ->
            other.kind().equals(Subscription.TIER) && !other.subscriptionId().equals(subscriptionId) && live(other.status()))
        ? CompletableFuture.completedFuture(Result.APPLIED)
        : changeTier(orgId, "free", eventId), executor);
  }

  /** The period end moved from the subscription to its items in 2025-03-31.basil: the item's first, the old field second. */
  static Instant periodEnd(JsonNode subscription) {
    JsonNode item = subscription.path("items").path("data").path(0).path("current_period_end");
    JsonNode end = item.isNumber() ? item : subscription.path("current_period_end");
    return end.isNumber() ? Instant.ofEpochSecond(end.asLong()) : null;
  }

  // ---- invoices ----

  /**
   * A renewal grants the tier's monthly credits only while its subscription is live for that tier:
   * a subscription that ended (deleted, canceled, unpaid) or never became live (incomplete) grants
   * nothing, whatever Stripe says was paid; the event is recorded as ignored with the reason.
   */
  private CompletionStage<Result> invoicePaid(JsonNode invoice) {
    String reason = invoice.path("billing_reason").asText("");
    if (!"subscription_cycle".equals(reason)) {
      return ignored("invoice " + invoice.path("id").asText() + " has billing_reason "
          + (reason.isEmpty() ? "(none)" : reason) + ": only a subscription_cycle renewal grants credits");
    }
    String subscriptionId = subscriptionOf(invoice);
    return records.subscription(subscriptionId).thenComposeAsync(subscription -> {
      if (subscription.isEmpty()) {
        return ignored("renewal of subscription " + (subscriptionId.isEmpty() ? "(none)" : subscriptionId)
            + ", which Layercake never saw become live");
      }
      Subscription renewed = subscription.get();
      if (!renewed.kind().equals(Subscription.TIER)) {
        return ignored("subscription " + subscriptionId + " is an SMS number's, which grants no credits");
      }
      if (!grants(renewed.status())) {
        return ignored("renewal of subscription " + subscriptionId + " (" + renewed.tier() + "), which is "
            + renewed.status() + ", not live: no monthly credits for organization " + renewed.orgId());
      }
      JsonNode start = invoice.path("lines").path("data").path(0).path("period").path("start");
      Instant periodStart = start.isNumber() ? Instant.ofEpochSecond(start.asLong()) : Instant.ofEpochSecond(invoice.path("period_end").asLong());
      return grant(renewed.orgId(), renewed.tier(), periodStart);
    }, executor);
  }

  /**
   * Whether a tier subscription in this status earns its renewal's credits: live ({@code active},
   * {@code trialing}), or {@code past_due}, which the paid invoice itself settles (Stripe's update
   * to {@code active} may arrive after the invoice).
   */
  private static boolean grants(String status) {
    return live(status) || status.equals("past_due");
  }

  private CompletionStage<Result> paymentFailed(String eventId, Instant created, JsonNode invoice) {
    return records.subscription(subscriptionOf(invoice)).thenComposeAsync(subscription -> {
      String orgId = subscription.map(Subscription::orgId)
          .orElse(invoice.path("parent").path("subscription_details").path("metadata").path("organizationId").asText(""));
      if (orgId.isEmpty()) {
        return ignored("failed invoice " + invoice.path("id").asText() + " belongs to no organization Layercake knows");
      }
      String payload = Json.write(Map.of(
          "invoice", invoice.path("id").asText(""),
          "amountDue", invoice.path("amount_due").asLong(0),
          "currency", invoice.path("currency").asText(""),
          "attempt", invoice.path("attempt_count").asLong(0)));
      return records.notify(orgId, "billing.payment_failed", payload, eventId, created).thenApply(done -> Result.APPLIED);
    }, executor);
  }

  /** The invoice's subscription: top-level before 2025-03-31.basil, under {@code parent.subscription_details} since. */
  static String subscriptionOf(JsonNode invoice) {
    String top = invoice.path("subscription").asText("");
    return top.isEmpty() ? invoice.path("parent").path("subscription_details").path("subscription").asText("") : top;
  }

  // ---- effects ----

  /** Only the tier: monthly credits come with a paid checkout or a paid renewal invoice, never with a mere update. */
  private CompletionStage<Result> changeTier(String orgId, String tier, String eventId) {
    return organizations.changeTier(orgId, tier, "stripe:" + eventId)
        .thenApply(reply -> expect(reply, OrgEntity.Accepted.class, "tier change"));
  }

  /** The tier's monthly credits for the month that starts at {@code at}; a month already granted changes nothing. */
  private CompletionStage<Result> grant(String orgId, String tierId, Instant at) {
    Optional<Long> credits = catalog.tier(tierId).flatMap(tier -> tier.monthlyCredits().isPresent()
        ? Optional.of(tier.monthlyCredits().getAsLong()) : Optional.empty());
    if (credits.isEmpty()) {
      return CompletableFuture.completedFuture(Result.APPLIED);
    }
    String month = YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    return organizations.grant(orgId, month, Bucket.MONTHLY, credits.get())
        .thenApply(reply -> expect(reply, OrgEntity.CurrentBalance.class, "grant"));
  }

  private CompletionStage<Result> cancelNumber(SmsNumber number) {
    CompletionStage<Void> atInfobip = number.status() == SmsNumber.Status.ACTIVE
        ? numbers.cancel(number.numberKey()) : CompletableFuture.completedFuture(null);
    return atInfobip.thenComposeAsync(done -> records.saveNumber(number.with(SmsNumber.Status.CANCELLED, null, null)), executor)
        .thenApply(saved -> Result.APPLIED);
  }

  private static Result expect(OrgEntity.Reply reply, Class<?> wanted, String what) {
    if (!wanted.isInstance(reply)) {
      throw new Refused("the " + what + " was refused: " + reply);
    }
    return Result.APPLIED;
  }

  /** The ledger refused the event's effect; redelivering the event cannot change that. */
  private static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }
}
