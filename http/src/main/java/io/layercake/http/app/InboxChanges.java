package io.layercake.http.app;

import io.layercake.runtime.session.ConversationListing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What an open inbox hears live, as server-sent events: {@code inbox} when any conversation of its
 * organizations changed (a message, a status), {@code conversation} when the open one's messages
 * did (a new one, a delivery receipt, a reaction). It reads the read model's change marks every
 * {@link #POLL}, so it works whichever node wrote the change; a stream ends after {@link #LIFETIME}
 * and the browser reconnects.
 */
public final class InboxChanges {
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration LIFETIME = Duration.ofMinutes(30);
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final ConversationListing listing;

  public InboxChanges(ConversationListing listing) {
    this.listing = listing;
  }

  /**
   * {@code inboxSince} and {@code conversationSince}: the marks the page was rendered with, so a change
   * between the page and the stream is not missed; without them the first look sets the baseline.
   */
  public Source<ServerSentEvent, NotUsed> stream(List<String> orgIds, Optional<String> sessionId, Optional<String> inboxSince,
      Optional<String> conversationSince) {
    return Source.tick(Duration.ZERO, POLL, "poll")
        .mapAsync(1, poll -> {
          CompletableFuture<String> inbox = listing.changeMark(orgIds).toCompletableFuture();
          CompletableFuture<String> open = sessionId.map(id -> listing.changeMark(id).toCompletableFuture())
              .orElseGet(() -> CompletableFuture.completedFuture(""));
          return inbox.thenCombine(open, List::of);
        })
        .statefulMapConcat(() -> {
          List<Optional<String>> seen = new ArrayList<>(List.of(inboxSince, conversationSince));
          return marks -> {
            List<ServerSentEvent> changed = new ArrayList<>();
            if (seen.get(0).isPresent() && !marks.get(0).equals(seen.get(0).get())) {
              changed.add(ServerSentEvent.create(marks.get(0), "inbox"));
            }
            if (seen.get(1).isPresent() && !marks.get(1).equals(seen.get(1).get())) {
              changed.add(ServerSentEvent.create(marks.get(1), "conversation"));
            }
            seen.set(0, Optional.of(marks.get(0)));
            seen.set(1, Optional.of(marks.get(1)));
            return changed;
          };
        })
        .takeWithin(LIFETIME)
        .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat)
        .mapMaterializedValue(cancellable -> NotUsed.getInstance());
  }
}
