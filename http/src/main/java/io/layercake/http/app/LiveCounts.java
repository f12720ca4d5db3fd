package io.layercake.http.app;

import io.layercake.http.server.LiveCount;
import io.layercake.runtime.feed.Feed;
import io.layercake.runtime.messages.Messaging;
import io.layercake.runtime.notifications.Notifications;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/** What every dashboard tab hears live about its person: unread notifications (the bell) and unread direct messages; the feed page its feed. */
public final class LiveCounts {
  private static final int THREADS = 100;

  private final Notifications notifications;
  private final Messaging messaging;
  private final Feed feed;

  public LiveCounts(Notifications notifications, Messaging messaging, Feed feed) {
    this.notifications = notifications;
    this.messaging = messaging;
    this.feed = feed;
  }

  /** The organization's feed changing: an item, a comment or a reaction. */
  public Source<ServerSentEvent, NotUsed> feed(String orgId) {
    return LiveCount.stream("feed", "items", () -> feed.changeMark(orgId)
        .thenApply(mark -> new LiveCount.Reading(Long.parseLong(mark.substring(0, mark.indexOf(':'))), mark)));
  }

  public Source<ServerSentEvent, NotUsed> stream(String userId) {
    return LiveCount.stream("notifications", () -> notifications.unread(userId)
            .thenApply(unread -> new LiveCount.Reading(unread.count(), unread.mark())))
        .merge(LiveCount.stream("dms", () -> messaging.inbox(userId, THREADS).thenCombine(messaging.changeMark(userId),
            (threads, mark) -> new LiveCount.Reading(threads.stream().mapToLong(Messaging.InboxThread::unread).sum(), mark))));
  }
}
