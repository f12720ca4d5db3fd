package io.layercake.http.webchat;

import io.layercake.runtime.channel.WebchatEvent;
import io.layercake.runtime.concurrent.Timeouts;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Carries webchat messages to the visitors' open connections, on whichever node they are: every
 * message goes to a cluster-wide topic, and each node hands the ones for its connected visitors to
 * their listeners (an event stream, a request waiting for its reply).
 */
public final class WebchatHub {
  private final ActorRef<Topic.Command<WebchatEvent>> topic;
  private final Scheduler scheduler;
  private final Map<String, Set<Consumer<WebchatEvent>>> listeners = new ConcurrentHashMap<>();
  /** The reply each session's model is writing, as far as it came (dropped once the recorded reply passes). */
  private final Map<String, WebchatEvent> growing = new ConcurrentHashMap<>();
  /** A node that lost a stream mid-reply never sees its end: the map is bounded instead. */
  private static final int MAX_GROWING = 10_000;

  private WebchatHub(ActorRef<Topic.Command<WebchatEvent>> topic, Scheduler scheduler) {
    this.topic = topic;
    this.scheduler = scheduler;
  }

  public static WebchatHub start(ActorSystem<?> system) {
    ActorRef<Topic.Command<WebchatEvent>> topic =
        system.systemActorOf(Topic.create(WebchatEvent.class, "webchat-events"), "webchat-events", Props.empty());
    WebchatHub hub = new WebchatHub(topic, system.scheduler());
    ActorRef<WebchatEvent> subscriber = system.systemActorOf(
        Behaviors.receive(WebchatEvent.class)
            .onMessage(WebchatEvent.class, event -> {
              hub.dispatch(event);
              return Behaviors.same();
            })
            .build(),
        "webchat-subscriber", Props.empty());
    topic.tell(Topic.subscribe(subscriber));
    return hub;
  }

  public void publish(WebchatEvent event) {
    topic.tell(Topic.publish(event));
  }

  /** Hands every message of the session to {@code listener} until the returned registration is closed. */
  public AutoCloseable listen(String sessionId, Consumer<WebchatEvent> listener) {
    listeners.compute(sessionId, (id, set) -> {
      Set<Consumer<WebchatEvent>> next = set == null ? ConcurrentHashMap.newKeySet() : set;
      next.add(listener);
      return next;
    });
    return () -> listeners.computeIfPresent(sessionId, (id, set) -> {
      set.remove(listener);
      return set.isEmpty() ? null : set;
    });
  }

  /**
   * Like {@link #listen}, first handing {@code sofar} the reply being written as far as it came, if
   * any (a visitor's stream that opens mid-reply shows it whole, then grows with it).
   */
  public AutoCloseable follow(String sessionId, Consumer<WebchatEvent> listener, Consumer<WebchatEvent> sofar) {
    AutoCloseable[] registration = new AutoCloseable[1];
    // under the session's entry, so no piece falls between what was written so far and what comes next
    growing.compute(sessionId, (id, written) -> {
      registration[0] = listen(sessionId, listener);
      if (written != null) {
        sofar.accept(written);
      }
      return written;
    });
    return registration[0];
  }

  /**
   * The session's next message, or the first piece of a reply being written (the rest comes to the
   * visitor's stream), or a timeout; cancelling the returned future stops listening.
   * Register before causing the message.
   */
  public CompletableFuture<WebchatEvent> next(String sessionId, Duration timeout) {
    CompletableFuture<WebchatEvent> next = new CompletableFuture<>();
    AutoCloseable registration = listen(sessionId, next::complete);
    next.whenComplete((event, failure) -> close(registration));
    return Timeouts.within(scheduler, next, timeout);
  }

  private void dispatch(WebchatEvent event) {
    if (event.delta() && growing.size() >= MAX_GROWING && !growing.containsKey(event.sessionId())) {
      growing.clear();
    }
    growing.compute(event.sessionId(), (id, written) -> {
      deliver(event);
      if (!event.delta()) {
        return null;
      }
      return written != null && written.outboundId().equals(event.outboundId())
          ? new WebchatEvent(id, event.outboundId(), written.text() + event.text(), event.at(), true) : event;
    });
  }

  private void deliver(WebchatEvent event) {
    Set<Consumer<WebchatEvent>> forSession = listeners.get(event.sessionId());
    if (forSession != null) {
      forSession.forEach(listener -> listener.accept(event));
    }
  }

  private static void close(AutoCloseable registration) {
    try {
      registration.close();
    } catch (Exception e) {
      throw new IllegalStateException("unregistering a listener cannot fail", e);
    }
  }
}
