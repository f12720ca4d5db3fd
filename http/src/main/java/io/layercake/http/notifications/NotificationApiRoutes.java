package io.layercake.http.notifications;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.TimePaging;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.http.server.LiveCount;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.DeliveryPolicy;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationCatalog;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.notifications.Preferences;
import io.layercake.runtime.notifications.PushSubscriptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A person's notifications in the API: the list with the unread count, one with its deliveries,
 * marking read, the live count (server-sent events), their choices and Pushover key; and an
 * organization's map of types to channels. Notifications belong to people: an API key is refused.
 */
public final class NotificationApiRoutes extends AllDirectives {
  private static final int MAX_PAGE = 100;
  private static final Pattern PUSHOVER_KEY = Pattern.compile("[A-Za-z0-9]{30}");
  private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final ApiAccess access;
  private final Notifications notifications;
  private final PushSubscriptions browsers;
  private final boolean pushoverAvailable;
  private final int digestHourUtc;
  private final Clock clock;
  private final Executor executor;

  public NotificationApiRoutes(ApiAccess access, Notifications notifications, PushSubscriptions browsers,
      boolean pushoverAvailable, int digestHourUtc, Clock clock, Executor executor) {
    this.browsers = browsers;
    this.access = access;
    this.notifications = notifications;
    this.pushoverAvailable = pushoverAvailable;
    this.digestHourUtc = digestHourUtc;
    this.clock = clock;
    this.executor = executor;
  }

  /** How one channel fared, with a line a person reads: "sent by email 2026-12-05 10:02 UTC". */
  public record DeliveryView(String channel, String status, int attempts, Instant dueAt, Instant sentAt, String lastError, String summary) {}

  public record NotificationView(String notificationId, String orgId, String type, String priority, String title, String body,
      String link, Map<String, Object> metadata, int occurrences, Instant createdAt, Instant updatedAt, Instant readAt,
      List<DeliveryView> deliveries) {}

  public record NotificationList(List<NotificationView> notifications, int unread, String nextCursor) {}

  public record MarkedRead(int marked, int unread) {}

  public record ChannelView(String channel, boolean available, String reach) {}

  public record Choice(String orgId, String channel, Boolean enabled) {}

  public record SettingsView(List<ChannelView> channels, List<Choice> choices, boolean pushoverKeySet, int digestHourUtc) {}

  /** {@code choices}: set (true/false) or clear (null) each; {@code pushoverUserKey}: a key, "" to remove it, absent to keep it. */
  public record SettingsBody(List<Choice> choices, String pushoverUserKey) {}

  public record RouteView(String type, String priority, List<String> channels, boolean custom) {}

  public record RouteList(String orgId, List<RouteView> types) {}

  public record RouteBody(List<String> channels) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_NOTIFICATIONS, match -> person(caller, userId -> list(userId))),
        access.operation(caller, ApiOperation.MARK_ALL_NOTIFICATIONS_READ, match -> person(caller, userId ->
            onSuccess(notifications.markAllRead(userId, clock.instant()), marked ->
                complete(StatusCodes.OK, new MarkedRead(marked, 0), Json.marshaller())))),
        access.operation(caller, ApiOperation.GET_NOTIFICATION, match -> person(caller, userId ->
            onSuccess(notifications.find(userId, match.variable("notificationId")), found -> found
                .<Route>map(notification -> complete(StatusCodes.OK, view(notification), Json.marshaller()))
                .orElseGet(() -> ApiAccess.notFound("notification " + match.variable("notificationId")))))),
        access.operation(caller, ApiOperation.MARK_NOTIFICATION_READ, match -> person(caller, userId ->
            onSuccess(notifications.markRead(userId, match.variable("notificationId"), clock.instant()), found -> found
                ? onSuccess(notifications.unread(userId), unread -> complete(StatusCodes.OK, new MarkedRead(1, unread.count()),
                    Json.marshaller()))
                : ApiAccess.notFound("notification " + match.variable("notificationId"))))),
        access.operation(caller, ApiOperation.STREAM_NOTIFICATION_EVENTS, match -> person(caller, userId ->
            completeOK(LiveCount.stream("notifications", () -> notifications.unread(userId)
                .thenApply(unread -> new LiveCount.Reading(unread.count(), unread.mark()))), EventStreamMarshalling.toEventStream()))),
        access.operation(caller, ApiOperation.GET_NOTIFICATION_SETTINGS, match -> person(caller, userId ->
            onSuccess(settings(userId), view -> complete(StatusCodes.OK, view, Json.marshaller())))),
        access.operation(caller, ApiOperation.UPDATE_NOTIFICATION_SETTINGS, match -> person(caller, userId ->
            entity(Jackson.unmarshaller(Json.MAPPER, SettingsBody.class), body -> updateSettings(caller, userId, body)))),
        access.operation(caller, ApiOperation.LIST_NOTIFICATION_ROUTES, match ->
            onSuccess(routeList(caller.orgId()), view -> complete(StatusCodes.OK, view, Json.marshaller()))),
        access.operation(caller, ApiOperation.SET_NOTIFICATION_ROUTE, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, RouteBody.class), body -> setRoute(caller, match.variable("type"), body))));
  }

  private Route list(String userId) {
    return parameterOptional("unread", unread -> unread.isPresent() && !unread.get().matches("true|false")
        ? ApiAccess.invalid("unread must be true or false")
        : TimePaging.read(50, MAX_PAGE, (after, size) -> onSuccess(notifications.list(userId, unread.map(Boolean::parseBoolean)
                .orElse(false), after.map(position -> new Notifications.Cursor(position.at(), position.id())), size), page ->
            complete(StatusCodes.OK, new NotificationList(page.notifications().stream().map(this::view).toList(), page.unread(),
                page.next().map(next -> TimePaging.next(next.createdAt(), next.notificationId())).orElse(null)), Json.marshaller()))));
  }

  private NotificationView view(Notification n) {
    return new NotificationView(n.notificationId(), n.orgId(), n.type(), n.priority().wireName(), n.title(), n.body(), n.link(),
        n.metadata(), n.occurrences(), n.createdAt(), n.updatedAt(), n.readAt(), n.deliveries().stream().map(d ->
            new DeliveryView(d.channel().wireName(), d.status(), d.attempts(), d.dueAt(), d.sentAt(), d.lastError(), summary(d))).toList());
  }

  /** "sent by email 2026-12-05 10:02 UTC", "push failed: subscription expired", "pushover due 2026-12-05 10:05 UTC". */
  public static String summary(Notification.Delivery delivery) {
    String by = delivery.channel() == Channel.DIGEST ? "the daily digest email" : delivery.channel().wireName();
    return switch (delivery.status()) {
      case Notification.Delivery.SENT -> "sent by " + by + " " + CLOCK_TIME.format(delivery.sentAt());
      case Notification.Delivery.FAILED -> by + " failed: " + delivery.lastError();
      default -> by + " due " + CLOCK_TIME.format(delivery.dueAt())
          + (delivery.lastError() == null ? "" : " (tried " + delivery.attempts() + "×, last: " + delivery.lastError() + ")");
    };
  }

  private CompletionStage<SettingsView> settings(String userId) {
    return notifications.preferences(userId).thenCompose(preferences -> notifications.hasPushoverKey(userId)
        .thenCompose(keySet -> browsers.list(userId).thenApply(subscribed -> settings(preferences, keySet, subscribed.size()))));
  }

  private SettingsView settings(Preferences preferences, boolean keySet, int browserCount) {
    List<Choice> choices = new ArrayList<>();
    preferences.choices().forEach((orgId, channels) -> channels.forEach((channel, enabled) ->
        choices.add(new Choice(orgId, channel.wireName(), enabled))));
    choices.sort(java.util.Comparator.comparing(Choice::orgId).thenComparing(Choice::channel));
    return new SettingsView(List.of(
        new ChannelView("in_app", true, "always: the bell in the dashboard"),
        new ChannelView(Channel.EMAIL.wireName(), true, "your sign-in address"),
        new ChannelView(Channel.PUSHOVER.wireName(), pushoverAvailable && keySet,
            !pushoverAvailable ? "not offered on this platform" : keySet ? "your Pushover user key" : "add your Pushover user key"),
        new ChannelView(Channel.PUSH.wireName(), browserCount > 0, browserCount == 0 ? "no browser subscribed yet"
            : browserCount + (browserCount == 1 ? " browser" : " browsers"))), choices, keySet, digestHourUtc);
  }

  private Route updateSettings(Caller caller, String userId, SettingsBody body) {
    List<Choice> choices = body.choices() == null ? List.of() : body.choices();
    for (Choice choice : choices) {
      if (choice == null || choice.orgId() == null || choice.channel() == null) {
        return ApiAccess.invalid("each choice needs orgId (an organization or \"*\" for all) and channel");
      }
      Optional<Channel> channel = Channel.parse(choice.channel());
      if (channel.isEmpty() || !channel.get().personal()) {
        return ApiAccess.invalid("channel must be email, push or pushover; the app always has every notification, and critical ones cannot be muted");
      }
    }
    if (body.pushoverUserKey() != null && !body.pushoverUserKey().isEmpty() && !PUSHOVER_KEY.matcher(body.pushoverUserKey()).matches()) {
      return ApiAccess.invalid("pushoverUserKey must be the 30 letters and digits Pushover shows as your user key");
    }
    List<String> orgs = choices.stream().map(Choice::orgId).filter(orgId -> !orgId.equals(Preferences.EVERY_ORGANIZATION)).distinct()
        .toList();
    return onSuccess(access.visibleOrgs(caller), visible -> {
      Optional<String> unknown = orgs.stream().filter(orgId -> !visible.contains(orgId)).findFirst();
      if (unknown.isPresent()) {
        return ApiAccess.notFound("organization " + unknown.get());
      }
      Instant now = clock.instant();
      CompletableFuture<Void> saved = CompletableFuture.completedFuture(null);
      for (Choice choice : choices) {
        saved = saved.thenComposeAsync(done -> notifications.choose(userId, choice.orgId(), Channel.parse(choice.channel()).orElseThrow(),
            Optional.ofNullable(choice.enabled()), now), executor);
      }
      if (body.pushoverUserKey() != null) {
        saved = saved.thenComposeAsync(done -> notifications.pushoverKey(userId,
            Optional.of(body.pushoverUserKey()).filter(key -> !key.isEmpty()), now), executor);
      }
      return onSuccess(saved.thenComposeAsync(done -> settings(userId), executor),
          view -> complete(StatusCodes.OK, view, Json.marshaller()));
    });
  }

  private CompletionStage<RouteList> routeList(String orgId) {
    return notifications.routes(orgId).thenApply(routes -> new RouteList(orgId, NotificationCatalog.TYPES.stream()
        .filter(type -> !type.type().equals(NotificationCatalog.PLATFORM_MESSAGE))
        .map(type -> {
          Set<Channel> custom = routes.get(type.type());
          return new RouteView(type.type(), type.priority().wireName(),
              (custom != null ? custom : DeliveryPolicy.defaults(type.priority())).stream().sorted().map(Channel::wireName).toList(), custom != null);
        }).toList()));
  }

  private Route setRoute(Caller caller, String type, RouteBody body) {
    if (NotificationCatalog.type(type).filter(found -> !found.type().equals(NotificationCatalog.PLATFORM_MESSAGE)).isEmpty()) {
      return ApiAccess.notFound("notification type " + type);
    }
    Optional<Set<Channel>> channels = Optional.empty();
    if (body.channels() != null) {
      Set<Channel> parsed = EnumSet.noneOf(Channel.class);
      for (String name : body.channels()) {
        Optional<Channel> channel = Optional.ofNullable(name).flatMap(Channel::parse);
        if (channel.isEmpty()) {
          return ApiAccess.invalid("channels are email, push, pushover, digest and webhook; got " + name);
        }
        parsed.add(channel.get());
      }
      channels = Optional.of(parsed);
    }
    return onSuccess(notifications.route(caller.orgId(), type, channels, clock.instant())
            .thenComposeAsync(done -> routeList(caller.orgId()), executor),
        view -> complete(StatusCodes.OK, view, Json.marshaller()));
  }

  private static Route person(Caller caller, Function<String, Route> inner) {
    return ApiAccess.asPerson(caller, "notifications belong to people signed in; an API key has none",
        person -> inner.apply(person.user().userId()));
  }
}
