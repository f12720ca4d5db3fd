package io.layercake.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.providers.WebhookTargets;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.notify.WebhookSender;
import io.layercake.runtime.notify.Webhooks;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  public Route routes(Caller caller) {
    return concat(
        path("events", () -> get(() -> access.scoped(caller, Scopes.CONVERSATIONS_READ, () -> parameterOptional("after", after -> {
          if (after.isPresent() && !after.get().matches("\\d{1,18}")) {
            return invalid("after is the id of the last event seen");
          }
          return onSuccess(access.visibleOrgs(caller), orgs -> onSuccess(webhooks.events(orgs, after.map(Long::parseLong).orElse(0L), PAGE),
              events -> {
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("events", events.stream().map(WebhookApiRoutes::view).toList());
                page.put("nextCursor", events.isEmpty() ? after.orElse("0") : Long.toString(events.get(events.size() - 1).eventId()));
                return complete(StatusCodes.OK, page, Json.marshaller());
              }));
        })))),
        pathPrefix("webhooks", () -> access.scoped(caller, Scopes.WEBHOOKS_WRITE, () -> concat(
            pathEnd(() -> concat(
                get(() -> onSuccess(webhooks.subscriptions(caller.orgId()), found -> complete(StatusCodes.OK,
                    Map.of("webhooks", found.stream().map(WebhookApiRoutes::withoutSecret).toList()), Json.marshaller()))),
                post(() -> entity(Jackson.unmarshaller(Json.MAPPER, SubscriptionBody.class), body -> subscribe(caller, body))))),
            pathPrefix(subscriptionId -> concat(
                pathEnd(() -> delete(() -> onSuccess(webhooks.unsubscribe(caller.orgId(), subscriptionId), removed -> removed
                    ? complete(StatusCodes.OK, Map.of("deleted", subscriptionId), Json.marshaller())
                    : ApiAccess.notFound("webhook " + subscriptionId)))),
                path("deliveries", () -> get(() -> onSuccess(webhooks.subscription(caller.orgId(), subscriptionId), found -> found.isEmpty()
                    ? ApiAccess.notFound("webhook " + subscriptionId)
                    : onSuccess(webhooks.deliveries(subscriptionId, 200),
                        deliveries -> complete(StatusCodes.OK, Map.of("deliveries", deliveries), Json.marshaller())))))))))));
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

  private static Map<String, Object> withoutSecret(Webhooks.Subscription subscription) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("subscriptionId", subscription.subscriptionId());
    view.put("url", subscription.url());
    view.put("eventTypes", subscription.eventTypes());
    view.put("createdAt", subscription.createdAt());
    return view;
  }

  private static Map<String, Object> view(Webhooks.FeedEvent event) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", event.eventId());
    view.put("type", event.type());
    view.put("orgId", event.orgId());
    view.put("sessionId", event.sessionId());
    view.put("sequence", event.sequence());
    view.put("createdAt", event.createdAt());
    try {
      JsonNode data = Json.MAPPER.readTree(event.payload());
      view.put("data", data);
    } catch (IOException e) {
      view.put("data", event.payload());
    }
    return view;
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
