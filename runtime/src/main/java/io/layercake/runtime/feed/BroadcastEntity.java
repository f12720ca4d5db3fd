package io.layercake.runtime.feed;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One broadcast ({@code Broadcast|broadcastId}): an agency to all its clients' people, or the
 * platform to every organization. It is a single event; a projection fans it out into every
 * audience organization's feed (and, with a priority, into people's notifications), so a broadcast
 * to 10,000 organizations is one write here. Sending the same broadcast id again answers the first.
 */
public final class BroadcastEntity
    extends EventSourcedBehaviorWithEnforcedReplies<BroadcastEntity.Command, BroadcastEntity.Event, BroadcastEntity.State> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Broadcast");
  public static final String TAG = "broadcasts";

  /** Who hears it: the sender agency's clients, or every organization (the platform's). */
  public enum Audience { CLIENTS, EVERYONE }

  public sealed interface Command {}

  /** {@code priority}: a notification priority's wire name, or null for the feed only. */
  public record Send(String senderOrgId, Audience audience, String title, String body, String priority, String author,
      ActorRef<Sent> replyTo) implements Command, JsonSerializable {}

  public sealed interface Event extends JsonSerializable {}

  public record BroadcastSent(String senderOrgId, Audience audience, String title, String body, String priority, String author,
      Instant at) implements Event {}

  public record Sent(String broadcastId, BroadcastSent broadcast) implements JsonSerializable {}

  /** Nothing, or the broadcast as sent. */
  public record State(BroadcastSent sent) implements JsonSerializable {}

  private final String broadcastId;
  private final Clock clock;

  private BroadcastEntity(String broadcastId, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), broadcastId));
    this.broadcastId = broadcastId;
    this.clock = clock;
  }

  public static Behavior<Command> create(String broadcastId, Clock clock) {
    return new BroadcastEntity(broadcastId, clock);
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState()
        .onCommand(Send.class, this::onSend)
        .build();
  }

  private ReplyEffect<Event, State> onSend(State state, Send command) {
    if (state.sent() != null) {
      return Effect().reply(command.replyTo(), new Sent(broadcastId, state.sent()));
    }
    return Effect().persist(new BroadcastSent(command.senderOrgId(), command.audience(), command.title(), command.body(),
            command.priority(), command.author(), clock.instant()))
        .thenReply(command.replyTo(), updated -> new Sent(broadcastId, updated.sent()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(BroadcastSent.class, (state, event) -> new State(event))
        .build();
  }
}
