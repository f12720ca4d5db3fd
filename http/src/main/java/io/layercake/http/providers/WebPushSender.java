package io.layercake.http.providers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.interaso.webpush.WebPush;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationDeliveries;
import io.layercake.runtime.notifications.NotificationSender;
import io.layercake.runtime.notifications.Priority;
import io.layercake.runtime.notifications.PushSubscriptions;
import io.layercake.runtime.notify.WebhookSender;
import io.layercake.runtime.concurrent.Stages;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Web push (RFC 8030) to every browser a person subscribed: the payload encrypted for the browser
 * (aes128gcm, RFC 8291) and the request signed with the platform's VAPID key (RFC 8292), both by
 * the webpush library. Each endpoint is checked like a webhook URL (public addresses only) and
 * connected to at the checked address. A subscription the push service says is gone (404, 410) is
 * forgotten; the delivery succeeds when one browser took it, fails for good when every
 * subscription expired or was refused, and is tried again when a push service was busy (429, 5xx).
 */
public final class WebPushSender implements NotificationSender {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A push waits at the push service at most a day for the browser to come online. */
  private static final int TTL_SECONDS = 24 * 60 * 60;

  private final WebPush webPush;
  private final PushSubscriptions subscriptions;
  private final WebhookTargets targets;
  private final PinnedConnection connection;
  private final Supplier<String> baseUrl;
  private final Executor blocking;

  public WebPushSender(WebPush webPush, PushSubscriptions subscriptions, WebhookTargets targets,
      org.apache.pekko.actor.ClassicActorSystemProvider system, java.time.Duration timeout, Supplier<String> baseUrl, Executor blocking) {
    this.webPush = webPush;
    this.subscriptions = subscriptions;
    this.targets = targets;
    this.connection = new PinnedConnection(system, timeout);
    this.baseUrl = baseUrl;
    this.blocking = blocking;
  }

  private enum Result { DELIVERED, EXPIRED, REFUSED, BUSY }

  private record Outcome(Result result, String detail) {}

  @Override
  public CompletionStage<String> send(NotificationDeliveries.Due due) {
    List<PushSubscriptions.Subscription> browsers = due.recipient().browsers();
    if (browsers.isEmpty()) {
      throw new Undeliverable("no browser is subscribed to push");
    }
    byte[] payload = payload(due.first());
    List<CompletableFuture<Outcome>> outcomes = browsers.stream().map(browser -> push(browser, due.first().priority(), payload)).toList();
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<Outcome> all = outcomes.stream().map(CompletableFuture::join).toList();
      long delivered = all.stream().filter(outcome -> outcome.result() == Result.DELIVERED).count();
      if (delivered > 0) {
        return "pushed to " + delivered + " of " + all.size() + (all.size() == 1 ? " browser" : " browsers");
      }
      String details = String.join("; ", all.stream().map(Outcome::detail).toList());
      if (all.stream().anyMatch(outcome -> outcome.result() == Result.BUSY)) {
        throw new IllegalStateException(details);
      }
      throw new Undeliverable(all.stream().allMatch(outcome -> outcome.result() == Result.EXPIRED) ? "subscription expired" : details);
    });
  }

  private CompletableFuture<Outcome> push(PushSubscriptions.Subscription browser, Priority priority, byte[] payload) {
    return CompletableFuture.supplyAsync(() -> targets.check(browser.endpoint()), blocking)
        .thenCompose(target -> {
          byte[] body = webPush.getBody(payload, Base64.getUrlDecoder().decode(browser.p256dh()),
              Base64.getUrlDecoder().decode(browser.auth()));
          HttpRequest request = HttpRequest.POST(PinnedConnection.pathAndQuery(target))
              .withEntity(ContentTypes.APPLICATION_OCTET_STREAM, body);
          for (Map.Entry<String, String> header : webPush.getHeaders(browser.endpoint(), TTL_SECONDS, null, urgency(priority))
              .entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Content-Type") && !header.getKey().equalsIgnoreCase("Content-Length")) {
              request = request.addHeader(RawHeader.create(header.getKey(), header.getValue()));
            }
          }
          return connection.send(target, request);
        })
        .thenCompose(answer -> {
          try {
            return webPush.getSubscriptionState(answer.status(), answer.body()) == WebPush.SubscriptionState.ACTIVE
                ? CompletableFuture.completedFuture(new Outcome(Result.DELIVERED, "delivered"))
                : subscriptions.expired(browser.subscriptionId())
                    .thenApply(done -> new Outcome(Result.EXPIRED, "subscription expired"));
          } catch (Exception refused) {
            // the library answers any other status with WebPushStatusException (undeclared: it is Kotlin)
            int status = answer.status();
            boolean busy = status == 429 || status >= 500;
            return CompletableFuture.completedFuture(new Outcome(busy ? Result.BUSY : Result.REFUSED,
                "the push service answered " + status));
          }
        }).toCompletableFuture()
        .exceptionally(failure -> {
          Throwable cause = Stages.cause(failure);
          if (cause instanceof WebhookSender.RefusedTarget refused) {
            return new Outcome(Result.REFUSED, "refused: " + refused.getMessage());
          }
          if (cause instanceof IllegalArgumentException) {
            return new Outcome(Result.REFUSED, "the subscription's keys are not valid");
          }
          return new Outcome(Result.BUSY, cause.getClass().getSimpleName());
        });
  }

  private byte[] payload(Notification notification) {
    ObjectNode payload = JSON.createObjectNode()
        .put("notificationId", notification.notificationId())
        .put("title", notification.title())
        .put("body", notification.body())
        .put("priority", notification.priority().wireName())
        .put("url", baseUrl.get() + (notification.link() == null ? "/app/notifications" : notification.link()));
    return payload.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static WebPush.Urgency urgency(Priority priority) {
    return switch (priority) {
      case CRITICAL, HIGH -> WebPush.Urgency.High;
      case NORMAL -> WebPush.Urgency.Normal;
      case LOW -> WebPush.Urgency.Low;
    };
  }

  /** The application server key browsers subscribe with: the uncompressed public key, base64url. */
  public static String applicationServerKey(WebPush webPush) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(webPush.getVapidKeys().getApplicationServerKey());
  }
}
