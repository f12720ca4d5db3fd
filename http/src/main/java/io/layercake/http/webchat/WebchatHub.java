package io.layercake.http.webchat;

import io.layercake.runtime.channel.WebchatEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Carries webchat messages to the visitors' open connections, on whichever node they are: every
 * message goes to a cluster-wide topic, and each node hands the ones for its connected visitors to
 * their listeners (an event stream, a request waiting for its reply).
 */
public final class WebchatHub {
  private final ActorRef<Topic.Command<WebchatEvent>> topic;
  private final Map<String, Set<Consumer<WebchatEvent>>> listeners = new ConcurrentHashMap<>();

  private WebchatHub(ActorRef<Topic.Command<WebchatEvent>> topic) {
    this.topic = topic;
  }

  public static WebchatHub start(ActorSystem<?> system) {
    ActorRef<Topic.Command<WebchatEvent>> topic =
        system.systemActorOf(Topic.create(WebchatEvent.class, "webchat-events"), "webchat-events", Props.empty());
    WebchatHub hub = new WebchatHub(topic);
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
   * The session's next message, or a timeout; cancelling the returned future stops listening.
   * Register before causing the message.
   */
  public CompletableFuture<WebchatEvent> next(String sessionId, Duration timeout) {
    CompletableFuture<WebchatEvent> next = new CompletableFuture<>();
    AutoCloseable registration = listen(sessionId, next::complete);
    next.whenComplete((event, failure) -> close(registration));
    return next.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void dispatch(WebchatEvent event) {
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
