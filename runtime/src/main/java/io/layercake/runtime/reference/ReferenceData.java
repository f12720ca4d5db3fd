package io.layercake.runtime.reference;

import io.layercake.config.AgentSettings;
import io.layercake.config.SettingsLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a turn reads but rarely changes, kept on this node (one {@link NodeCache} per kind), and the
 * cluster-wide announcement of a change. A writer calls {@link #changed}: this node forgets at once,
 * and a {@link ReferenceChanged} goes out on a cluster pub-sub topic that one subscriber per node
 * listens to. Pub-sub is at most once (a node that joins or is unreachable meanwhile misses it), so
 * every entry also expires after the configured ttl: that bounds how stale a node can be.
 *
 * <p>Chosen over a version check per look-up, which would still cost a query per turn. The settings
 * ({@code layercake.agents.reference-cache}) are read, typed and validated, from the actor system's
 * configuration, which a node builds from its settings.
 */
public final class ReferenceData implements Extension {
  /** The agent's configuration ({@code AgentEntity.Get}), by agent id. */
  public static final String AGENTS = "agents";
  /** Channel bindings, agents' addresses and organizations' channel accounts (tokens): {@code channels.*}. */
  public static final String CHANNELS = "channels";
  /** An organization's knowledge documents ready for prompts, by org id. */
  public static final String KNOWLEDGE = "knowledge";

  private static final Logger log = LoggerFactory.getLogger(ReferenceData.class);
  private static final String TOPIC = "layercake-reference-data";

  private final AgentSettings.ReferenceCache settings;
  private final Map<String, NodeCache<?>> caches = new ConcurrentHashMap<>();
  private final ActorRef<Topic.Command<ReferenceChanged>> topic;

  private ReferenceData(ActorSystem<?> system) {
    this.settings = SettingsLoader.referenceCache(system.settings().config());
    this.topic = system.systemActorOf(Topic.create(ReferenceChanged.class, TOPIC), "reference-data-topic", Props.empty());
    system.systemActorOf(subscriber(topic), "reference-data-subscriber", Props.empty());
  }

  public static ReferenceData get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** The node's cache of {@code kind}, created on first use. */
  @SuppressWarnings("unchecked")
  public <V> NodeCache<V> cache(String kind) {
    return (NodeCache<V>) caches.computeIfAbsent(kind,
        name -> new NodeCache<V>(name, settings.maxEntries(), settings.ttl(), System::nanoTime));
  }

  /** {@code key} of {@code kind} changed ({@code null}: anything of that kind): every node forgets it. */
  public void changed(String kind, String key) {
    forget(new ReferenceChanged(kind, key));
    topic.tell(Topic.publish(new ReferenceChanged(kind, key)));
  }

  /** Forgets {@code key} in the caches of that kind: the one named so and those named {@code kind.*}. */
  private void forget(ReferenceChanged change) {
    caches.forEach((name, cache) -> {
      if (name.equals(change.cache()) || name.startsWith(change.cache() + ".")) {
        cache.evict(change.key());
      }
    });
  }

  private Behavior<ReferenceChanged> subscriber(ActorRef<Topic.Command<ReferenceChanged>> topic) {
    return Behaviors.setup(context -> {
      topic.tell(Topic.subscribe(context.getSelf()));
      return Behaviors.receive(ReferenceChanged.class)
          .onMessage(ReferenceChanged.class, change -> {
            log.debug("Reference data changed: {} {}", change.cache(), change.key() == null ? "(all)" : change.key());
            forget(change);
            return Behaviors.same();
          })
          .build();
    });
  }

  /** One per actor system. */
  public static final class Id extends ExtensionId<ReferenceData> {
    private static final Id INSTANCE = new Id();

    @Override
    public ReferenceData createExtension(ActorSystem<?> system) {
      return new ReferenceData(system);
    }
  }
}
