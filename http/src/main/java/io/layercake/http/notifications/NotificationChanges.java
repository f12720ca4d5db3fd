package io.layercake.http.notifications;

import io.layercake.runtime.notifications.Notifications;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A person's bell, live: an {@code notifications} event with the unread count at once and whenever
 * any of their notifications changes (a new one, a burst growing, one read elsewhere). It reads the
 * table every {@link #POLL}, so it hears what any node wrote; a stream ends after {@link #LIFETIME}
 * and the browser reconnects.
 */
public final class NotificationChanges {
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration LIFETIME = Duration.ofMinutes(30);
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final Notifications notifications;

  public NotificationChanges(Notifications notifications) {
    this.notifications = notifications;
  }

  public Source<ServerSentEvent, NotUsed> stream(String userId) {
    return Source.tick(Duration.ZERO, POLL, "poll")
        .mapAsync(1, poll -> notifications.unread(userId))
        .statefulMapConcat(() -> {
          AtomicReference<String> seen = new AtomicReference<>();
          return unread -> {
            if (unread.mark().equals(seen.getAndSet(unread.mark()))) {
              return java.util.List.of();
            }
            return java.util.List.of(ServerSentEvent.create("{\"unread\":" + unread.count() + "}", "notifications"));
          };
        })
        .takeWithin(LIFETIME)
        .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat)
        .mapMaterializedValue(cancellable -> NotUsed.getInstance());
  }
}
