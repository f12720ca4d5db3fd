package io.layercake.http.notifications;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.providers.WebhookTargets;
import io.layercake.http.server.Json;
import io.layercake.runtime.notifications.PushSubscriptions;
import io.layercake.runtime.notify.WebhookSender;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Web push in the API: the key browsers subscribe with, and a person's subscribed browsers (the
 * endpoint a browser's push service gave it is checked like a webhook URL: public addresses only).
 */
public final class PushApiRoutes extends AllDirectives {
  private static final int MAX_ENDPOINT = 1000;
  private static final int P256DH_BYTES = 65;
  private static final int AUTH_BYTES = 16;

  private final ApiAccess access;
  private final PushSubscriptions subscriptions;
  private final String applicationServerKey;
  private final WebhookTargets targets;
  private final Clock clock;
  private final Executor blocking;

  public PushApiRoutes(ApiAccess access, PushSubscriptions subscriptions, String applicationServerKey, WebhookTargets targets,
      Clock clock, Executor blocking) {
    this.access = access;
    this.subscriptions = subscriptions;
    this.applicationServerKey = applicationServerKey;
    this.targets = targets;
    this.clock = clock;
    this.blocking = blocking;
  }

  public record PushKey(String applicationServerKey) {}

  public record Keys(String p256dh, String auth) {}

  /** As a browser's {@code PushSubscription.toJSON()} gives it. */
  public record SubscriptionBody(String endpoint, Keys keys) {}

  public record SubscriptionView(String subscriptionId, String endpoint, String userAgent, Instant createdAt) {}

  public record SubscriptionList(List<SubscriptionView> subscriptions) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_PUSH_KEY, match ->
            complete(StatusCodes.OK, new PushKey(applicationServerKey), Json.marshaller())),
        access.operation(caller, ApiOperation.SUBSCRIBE_PUSH, match -> person(caller, userId ->
            entity(Jackson.unmarshaller(Json.MAPPER, SubscriptionBody.class), body ->
                optionalHeaderValueByName("User-Agent", agent -> subscribe(userId, body, agent.orElse(null)))))),
        access.operation(caller, ApiOperation.LIST_PUSH_SUBSCRIPTIONS, match -> person(caller, userId ->
            onSuccess(subscriptions.list(userId), found -> complete(StatusCodes.OK,
                new SubscriptionList(found.stream().map(PushApiRoutes::view).toList()), Json.marshaller())))),
        access.operation(caller, ApiOperation.DELETE_PUSH_SUBSCRIPTION, match -> person(caller, userId ->
            onSuccess(subscriptions.remove(userId, match.variable("subscriptionId")), removed -> removed
                ? complete(StatusCodes.NO_CONTENT)
                : ApiAccess.notFound("push subscription " + match.variable("subscriptionId"))))));
  }

  private Route subscribe(String userId, SubscriptionBody body, String userAgent) {
    if (body.endpoint() == null || body.endpoint().length() > MAX_ENDPOINT || body.keys() == null) {
      return ApiAccess.invalid("endpoint and keys (p256dh, auth) are required, as the browser's PushSubscription gives them");
    }
    if (!decodes(body.keys().p256dh(), P256DH_BYTES) || !decodes(body.keys().auth(), AUTH_BYTES)) {
      return ApiAccess.invalid("keys.p256dh must be a P-256 public key (65 bytes) and keys.auth 16 bytes, both base64url");
    }
    CompletableFuture<String> refusal = CompletableFuture.supplyAsync(() -> {
      try {
        targets.check(body.endpoint());
        return null;
      } catch (WebhookSender.RefusedTarget refused) {
        return refused.getMessage();
      }
    }, blocking);
    return onSuccess(refusal, refused -> refused != null
        ? ApiAccess.invalid("endpoint refused: " + refused)
        : onSuccess(subscriptions.subscribe(userId, body.endpoint(), body.keys().p256dh(), body.keys().auth(),
                userAgent == null ? null : userAgent.substring(0, Math.min(300, userAgent.length())), clock.instant()),
            stored -> complete(StatusCodes.CREATED, view(stored), Json.marshaller())));
  }

  private static boolean decodes(String value, int bytes) {
    try {
      return value != null && Base64.getUrlDecoder().decode(value).length == bytes;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static SubscriptionView view(PushSubscriptions.Subscription subscription) {
    return new SubscriptionView(subscription.subscriptionId(), subscription.endpoint(), subscription.userAgent(),
        subscription.createdAt());
  }

  private static Route person(Caller caller, Function<String, Route> inner) {
    return ApiAccess.asPerson(caller, "push subscriptions belong to people signed in; an API key has none",
        person -> inner.apply(person.user().userId()));
  }
}
