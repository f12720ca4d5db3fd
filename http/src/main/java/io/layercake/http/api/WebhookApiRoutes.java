package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.providers.WebhookTargets;
import io.layercake.http.server.Json;
import io.layercake.runtime.notify.WebhookSender;
import io.layercake.runtime.notify.Webhooks;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Outbound webhooks ({@code /api/v1/webhooks}, scope {@code webhooks:write}): subscriptions with
 * their event types (the signing secret is shown once), their delivery log; and the same events
 * pulled ({@code GET /api/v1/events?after=}, scope {@code conversations:read}), so polling
 * dashboards and webhooks never disagree.
 */
public final class WebhookApiRoutes extends AllDirectives {
  private static final int PAGE = 100;

  private final ApiAccess access;
  private final Webhooks webhooks;
  private final WebhookTargets targets;
  private final Executor resolverExecutor;

  /** {@code targets} decides which URLs may be subscribed; its DNS lookups run on {@code resolverExecutor}. */
  public WebhookApiRoutes(ApiAccess access, Webhooks webhooks, WebhookTargets targets, Executor resolverExecutor) {
    this.access = access;
    this.webhooks = webhooks;
    this.targets = targets;
    this.resolverExecutor = resolverExecutor;
  }

  public record SubscriptionBody(String url, List<String> eventTypes) {}

  /** A subscription as listed: without its signing secret, which is shown only when it is created. */
  public record SubscriptionView(String subscriptionId, String url, Set<String> eventTypes, Instant createdAt) {
    static SubscriptionView of(Webhooks.Subscription subscription) {
      return new SubscriptionView(subscription.subscriptionId(), subscription.url(), subscription.eventTypes(), subscription.createdAt());
    }
  }

  public record WebhookList(List<SubscriptionView> webhooks) {}

  public record Deleted(String deleted) {}

  public record DeliveryList(List<Webhooks.Delivery> deliveries) {}

  /** An event of the feed; {@code data} is what a webhook delivery of it carries. */
  public record EventView(long id, String type, String orgId, String sessionId, long sequence, Instant createdAt, JsonNode data) {}

  /** A test event on its way to one subscription: follow it in the subscription's deliveries. */
  public record TestQueued(long eventId, String subscriptionId) {}

  public record EventPage(List<EventView> events, String nextCursor) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_EVENTS, match -> parameterOptional("after", after -> {
          if (after.isPresent() && !after.get().matches("\\d{1,18}")) {
            return invalid("after is the id of the last event seen");
          }
          return onSuccess(access.visibleOrgs(caller), orgs -> onSuccess(webhooks.events(orgs, after.map(Long::parseLong).orElse(0L), PAGE),
              events -> complete(StatusCodes.OK, new EventPage(events.stream().map(WebhookApiRoutes::view).toList(),
                  events.isEmpty() ? after.orElse("0") : Long.toString(events.get(events.size() - 1).eventId())), Json.marshaller())));
        })),
        access.operation(caller, ApiOperation.LIST_WEBHOOKS, match -> onSuccess(webhooks.subscriptions(caller.orgId()),
            found -> complete(StatusCodes.OK, new WebhookList(found.stream().map(SubscriptionView::of).toList()), Json.marshaller()))),
        access.operation(caller, ApiOperation.CREATE_WEBHOOK, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, SubscriptionBody.class), body -> subscribe(caller, body))),
        access.operation(caller, ApiOperation.DELETE_WEBHOOK, match -> {
          String subscriptionId = match.variable("subscriptionId");
          return onSuccess(webhooks.unsubscribe(caller.orgId(), subscriptionId), removed -> removed
              ? complete(StatusCodes.OK, new Deleted(subscriptionId), Json.marshaller())
              : ApiAccess.notFound("webhook " + subscriptionId));
        }),
        access.operation(caller, ApiOperation.SEND_TEST_WEBHOOK, match -> {
          String subscriptionId = match.variable("subscriptionId");
          return onSuccess(webhooks.sendTest(caller.orgId(), subscriptionId), queued -> queued
              .<Route>map(eventId -> complete(StatusCodes.ACCEPTED, new TestQueued(eventId, subscriptionId), Json.marshaller()))
              .orElseGet(() -> ApiAccess.notFound("webhook " + subscriptionId)));
        }),
        access.operation(caller, ApiOperation.LIST_WEBHOOK_DELIVERIES, match -> {
          String subscriptionId = match.variable("subscriptionId");
          return onSuccess(webhooks.subscription(caller.orgId(), subscriptionId), found -> found.isEmpty()
              ? ApiAccess.notFound("webhook " + subscriptionId)
              : onSuccess(webhooks.deliveries(subscriptionId, 200),
                  deliveries -> complete(StatusCodes.OK, new DeliveryList(deliveries), Json.marshaller())));
        }));
  }

  private Route subscribe(Caller caller, SubscriptionBody body) {
    if (body.url() == null || !validUrl(body.url())) {
      return invalid("url must be an absolute http:// or https:// URL of at most 2000 characters");
    }
    Set<String> types = body.eventTypes() == null ? Set.of() : Set.copyOf(body.eventTypes());
    if (!Webhooks.TYPES.containsAll(types)) {
      return invalid("eventTypes are among " + Webhooks.TYPES.stream().sorted().toList() + " (none: all)");
    }
    CompletionStage<Optional<String>> refusal = CompletableFuture.supplyAsync(() -> {
      try {
        targets.check(body.url());
        return Optional.<String>empty();
      } catch (WebhookSender.RefusedTarget refused) {
        return Optional.of(refused.getMessage());
      }
    }, resolverExecutor);
    return onSuccess(refusal, refused -> refused.isPresent()
        ? complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "target_not_allowed", refused.get()))
        : onSuccess(webhooks.subscribe(caller.orgId(), body.url(), types),
            created -> complete(StatusCodes.CREATED, created, Json.marshaller())));
  }

  private static boolean validUrl(String url) {
    try {
      URI uri = URI.create(url);
      return url.length() <= 2000 && uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static EventView view(Webhooks.FeedEvent event) {
    JsonNode data;
    try {
      data = Json.MAPPER.readTree(event.payload());
    } catch (IOException e) {
      data = Json.MAPPER.getNodeFactory().textNode(event.payload());
    }
    return new EventView(event.eventId(), event.type(), event.orgId(), event.sessionId(), event.sequence(), event.createdAt(), data);
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
