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

  public Source<ServerSentEvent, NotUsed> stream(List<String> orgIds, Optional<String> sessionId) {
    return Source.tick(Duration.ZERO, POLL, "poll")
        .mapAsync(1, poll -> {
          CompletableFuture<String> inbox = listing.changeMark(orgIds).toCompletableFuture();
          CompletableFuture<String> open = sessionId.map(id -> listing.changeMark(id).toCompletableFuture())
              .orElseGet(() -> CompletableFuture.completedFuture(""));
          return inbox.thenCombine(open, List::of);
        })
        .statefulMapConcat(() -> {
          List<String> seen = new ArrayList<>(List.of("", ""));
          boolean[] first = {true};
          return marks -> {
            List<ServerSentEvent> changed = new ArrayList<>();
            if (!first[0] && !marks.get(0).equals(seen.get(0))) {
              changed.add(ServerSentEvent.create(marks.get(0), "inbox"));
            }
            if (!first[0] && !marks.get(1).equals(seen.get(1))) {
              changed.add(ServerSentEvent.create(marks.get(1), "conversation"));
            }
            first[0] = false;
            seen.set(0, marks.get(0));
            seen.set(1, marks.get(1));
            return changed;
          };
        })
        .takeWithin(LIFETIME)
        .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat)
        .mapMaterializedValue(cancellable -> NotUsed.getInstance());
  }
}
