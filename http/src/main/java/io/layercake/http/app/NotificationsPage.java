package io.layercake.http.app;

import io.layercake.http.notifications.NotificationApiRoutes;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.notifications.Preferences;
import io.layercake.runtime.notifications.PushSubscriptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Reads what the notifications page shows; marking read and every choice go through the REST API. */
public final class NotificationsPage {
  private static final int SHOWN = 50;
  private static final List<Channel> CHOOSABLE = List.of(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER);

  private final Notifications notifications;
  private final PushSubscriptions browsers;
  private final boolean pushoverAvailable;
  private final String applicationServerKey;
  private final int digestHourUtc;
  private final Executor executor;

  public NotificationsPage(Notifications notifications, PushSubscriptions browsers, boolean pushoverAvailable, String applicationServerKey,
      int digestHourUtc, Executor executor) {
    this.notifications = notifications;
    this.browsers = browsers;
    this.pushoverAvailable = pushoverAvailable;
    this.applicationServerKey = applicationServerKey;
    this.digestHourUtc = digestHourUtc;
    this.executor = executor;
  }

  public CompletionStage<NotificationsView> view(String userId, List<PageContext.Organization> organizations, Instant now) {
    CompletableFuture<Notifications.Page> page = notifications.list(userId, false, Optional.empty(), SHOWN).toCompletableFuture();
    CompletableFuture<List<Notification>> detailed = page.thenComposeAsync(found -> {
      List<CompletableFuture<Notification>> each = found.notifications().stream()
          .map(n -> notifications.find(userId, n.notificationId()).thenApply(one -> one.orElse(n)).toCompletableFuture()).toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> each.stream().map(CompletableFuture::join)
          .toList());
    }, executor);
    CompletableFuture<Preferences> preferences = notifications.preferences(userId).toCompletableFuture();
    CompletableFuture<Boolean> keySet = notifications.hasPushoverKey(userId).toCompletableFuture();
    CompletableFuture<Integer> subscribed = browsers.list(userId).thenApply(List::size).toCompletableFuture();
    return CompletableFuture.allOf(detailed, preferences, keySet, subscribed).thenApply(done -> {
      List<NotificationsView.Item> items = detailed.join().stream().map(n -> new NotificationsView.Item(n.notificationId(), n.title(),
          n.body(), n.link(), n.priority().wireName(), n.orgId(), PageContext.ago(n.createdAt(), now), n.occurrences(), !n.read(),
          n.deliveries().stream().map(NotificationApiRoutes::summary).toList())).toList();
      List<NotificationsView.Column> columns = new ArrayList<>();
      columns.add(new NotificationsView.Column(Preferences.EVERY_ORGANIZATION, "All organizations"));
      organizations.forEach(organization -> columns.add(new NotificationsView.Column(organization.orgId(), organization.name())));
      List<NotificationsView.Row> rows = CHOOSABLE.stream().map(channel -> new NotificationsView.Row(channel.wireName(), label(channel),
          columns.stream().map(column -> new NotificationsView.Cell(column.orgId(), preferences.join().choices()
              .getOrDefault(column.orgId(), java.util.Map.of()).entrySet().stream().filter(choice -> choice.getKey() == channel)
              .map(choice -> choice.getValue() ? "on" : "off").findFirst().orElse("default"))).toList())).toList();
      return new NotificationsView(items, page.join().unread(), null, columns, rows, pushoverAvailable, keySet.join(), subscribed.join(),
          applicationServerKey, digestHourUtc);
    });
  }

  private static String label(Channel channel) {
    return switch (channel) {
      case EMAIL -> "Email";
      case PUSH -> "Browser push";
      case PUSHOVER -> "Pushover";
      default -> channel.wireName();
    };
  }
}
