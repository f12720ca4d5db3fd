package io.layercake.http.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A count a person watches live, as server-sent events: the event with {@code {"unread": n}} at
 * once and whenever the read model's mark for it changes (whichever node wrote the change). It
 * reads every {@link #POLL}; a stream ends after {@link #LIFETIME} and the browser reconnects.
 * {@link #open()} counts the streams open on this node.
 */
public final class LiveCount {
  static final Duration POLL = Duration.ofSeconds(2);
  static final Duration LIFETIME = Duration.ofMinutes(30);
  /**
   * Often: the server learns that a browser left only when a write fails, and a stream left open
   * keeps reading the database every {@link #POLL}; a heartbeat every 3 s closes it within seconds.
   */
  private static final Duration HEARTBEAT = Duration.ofSeconds(3);

  /** The count, and a mark that changes whenever what it counts does. */
  public record Reading(long count, String mark) {}

  private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

  private LiveCount() {}

  /** Live streams open on this node now (a gauge: streams a gone browser left open would pile up here). */
  public static int open() {
    return OPEN.get();
  }

  public static Source<ServerSentEvent, NotUsed> stream(String event, Supplier<CompletionStage<Reading>> read) {
    return stream(event, "unread", read);
  }

  /** As {@link #stream(String, Supplier)}, the count named {@code field} ({@code {"items": n}}). */
  public static Source<ServerSentEvent, NotUsed> stream(String event, String field, Supplier<CompletionStage<Reading>> read) {
    return Source.tick(Duration.ZERO, POLL, "poll")
        .mapAsync(1, poll -> read.get())
        .statefulMapConcat(() -> {
          AtomicReference<String> seen = new AtomicReference<>();
          return reading -> reading.mark().equals(seen.getAndSet(reading.mark())) ? List.<ServerSentEvent>of()
              : List.of(ServerSentEvent.create("{\"" + field + "\":" + reading.count() + "}", event));
        })
        .takeWithin(LIFETIME)
        .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat)
        .watchTermination((cancellable, done) -> {
          OPEN.incrementAndGet();
          done.whenComplete((finished, failure) -> OPEN.decrementAndGet());
          return NotUsed.getInstance();
        });
  }
}
