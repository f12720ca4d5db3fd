package io.layercake.http.billing;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.server.Json;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.billing.BillingRecords.ProcessedEvent;
import io.layercake.runtime.billing.BillingRecords.Resolution;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stripe events Layercake could not attribute (a Payment Link's checkout, say) as operators see
 * them, and an operator's application of one to an organization as purchased credits: audited
 * (who and when are stored with the event) and exactly once (the event is claimed for one
 * organization and amount before the ledger is asked, and the ledger's purchase key is the
 * checkout session's, the same the webhook would have used).
 */
public final class IgnoredStripeEvents {
  private static final Logger log = LoggerFactory.getLogger(IgnoredStripeEvents.class);
  private static final Set<String> CHECKOUTS =
      Set.of("checkout.session.completed", "checkout.session.async_payment_succeeded");
  private static final Set<String> PAID = Set.of("paid", "no_payment_required");

  private final BillingRecords records;
  private final Organizations organizations;
  private final Clock clock;
  private final Executor executor;

  public IgnoredStripeEvents(BillingRecords records, Organizations organizations, Clock clock, Executor executor) {
    this.records = records;
    this.organizations = organizations;
    this.clock = clock;
    this.executor = executor;
  }

  /** An event as the operator's list shows it; {@code summary} is the stored JSON summary of its object. */
  public record EventView(
      String eventId, String type, String status, String reason, Instant createdAt, Instant processedAt,
      JsonNode summary, Resolution appliedTo) {
    static EventView of(ProcessedEvent event) {
      return new EventView(event.eventId(), event.type(), event.outcome(), event.reason(), event.createdAt(),
          event.processedAt(), parse(event.summary()), event.resolution());
    }
  }

  /** What became of an operator's request to apply an event. */
  public sealed interface Applied {
    /** Applied now, or earlier with the same organization and credits (a repeated request changes nothing). */
    record Done(EventView event) implements Applied {}

    record NotFound(String message) implements Applied {}

    /** The event cannot be applied like this: applied already (to something else), not a paid checkout, not ignored. */
    record Conflict(String message) implements Applied {}

    /** The organization or amount is not acceptable to the ledger. */
    record Invalid(String message) implements Applied {}
  }

  public CompletionStage<List<EventView>> list(String status, int limit) {
    return records.events(status, limit).thenApply(events -> events.stream().map(EventView::of).toList());
  }

  /** Adds {@code credits} purchased credits to {@code orgId} for the ignored checkout {@code eventId}, once. */
  public CompletionStage<Applied> applyAsPurchase(String eventId, String orgId, long credits, String by) {
    return records.event(eventId).thenComposeAsync(found -> {
      if (found.isEmpty()) {
        return done(new Applied.NotFound("no Stripe event " + eventId + " was received"));
      }
      ProcessedEvent event = found.get();
      Optional<String> refusal = refusal(event, orgId, credits);
      if (refusal.isPresent()) {
        return done(new Applied.Conflict(refusal.get()));
      }
      if (event.resolution() != null && event.resolution().status().equals(Resolution.DONE)) {
        return done(new Applied.Done(EventView.of(event)));
      }
      return organizations.isPool(orgId).thenComposeAsync(pool -> !pool
          ? done(new Applied.Invalid("organization " + orgId
              + " does not exist or is a sub-organization (its parent pays)"))
          : records.claimResolution(eventId, orgId, credits, by, clock.instant()).thenComposeAsync(claimed -> claimed
              ? purchase(event, orgId, credits, by)
              : records.event(eventId).thenApply(now -> appliedMeanwhile(now, eventId, orgId, credits)),
              executor), executor);
    }, executor);
  }

  private CompletionStage<Applied> purchase(ProcessedEvent event, String orgId, long credits, String by) {
    String sessionId = parse(event.summary()).path("id").asText("");
    String key = sessionId.isEmpty() ? "stripe-event:" + event.eventId() : "stripe:" + sessionId;
    return organizations.addPurchased(orgId, key, credits).thenComposeAsync(reply -> {
      boolean taken = reply instanceof OrgEntity.CurrentBalance;
      return records.finishResolution(event.eventId(), taken).thenComposeAsync(finished -> {
        if (!taken) {
          String message = reply instanceof OrgEntity.Rejected rejected ? rejected.message() : String.valueOf(reply);
          log.warn("Stripe event {} could not be applied to {}: {}", event.eventId(), orgId, message);
          return done(new Applied.Invalid(message));
        }
        log.info("Operator {} applied Stripe event {} ({}) to organization {}: {} purchased credits", by,
            event.eventId(), event.type(), orgId, credits);
        return records.event(event.eventId())
            .thenApply(now -> (Applied) new Applied.Done(EventView.of(now.orElse(event))));
      }, executor);
    }, executor);
  }

  /**
   * The claim was lost to a request that got there first: the same organization and amount it has
   * since applied answer as this one would have; anything else is a conflict.
   */
  private static Applied appliedMeanwhile(Optional<ProcessedEvent> now, String eventId, String orgId, long credits) {
    Optional<String> refusal = now.flatMap(event -> refusal(event, orgId, credits));
    if (refusal.isPresent()) {
      return new Applied.Conflict(refusal.get());
    }
    return now.filter(event -> event.resolution() != null && event.resolution().status().equals(Resolution.DONE))
        .<Applied>map(event -> new Applied.Done(EventView.of(event)))
        .orElseGet(() -> new Applied.Conflict("event " + eventId + " is being applied by another request; look again"));
  }

  /** Why this event cannot be applied to this organization and amount, if it cannot. */
  private static Optional<String> refusal(ProcessedEvent event, String orgId, long credits) {
    if (!event.outcome().equals(ProcessedEvent.IGNORED)) {
      return Optional.of("event " + event.eventId() + " was applied when it arrived; there is nothing to apply");
    }
    if (!CHECKOUTS.contains(event.type())) {
      return Optional.of("event " + event.eventId() + " is a " + event.type()
          + "; only a paid checkout session can be applied as purchased credits");
    }
    String paymentStatus = parse(event.summary()).path("payment_status").asText("");
    if (!PAID.contains(paymentStatus)) {
      return Optional.of("checkout of event " + event.eventId() + " is not paid (payment_status " + paymentStatus
          + ")");
    }
    Resolution resolution = event.resolution();
    if (resolution != null && !(resolution.orgId().equals(orgId) && resolution.credits() == credits)) {
      return Optional.of("event " + event.eventId() + " was applied to organization " + resolution.orgId() + " ("
          + resolution.credits() + " credits) by " + resolution.by() + " at " + resolution.at());
    }
    return Optional.empty();
  }

  private static CompletionStage<Applied> done(Applied applied) {
    return CompletableFuture.completedFuture(applied);
  }

  private static JsonNode parse(String summary) {
    if (summary == null) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      return Json.MAPPER.readTree(summary);
    } catch (IOException e) {
      Map<String, String> unreadable = new LinkedHashMap<>();
      unreadable.put("unreadable", summary);
      return Json.MAPPER.valueToTree(unreadable);
    }
  }
}
