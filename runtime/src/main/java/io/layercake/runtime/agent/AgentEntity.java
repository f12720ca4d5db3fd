package io.layercake.runtime.agent;

import io.layercake.config.EntitySettings;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * An agent's configuration, versioned ({@code Agent|agentId}). Every change is an event carrying
 * the whole new configuration, so the journal reads as the history of who the agent was.
 */
public final class AgentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<AgentEntity.Command, AgentEntity.Event, AgentEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Agent");

  public sealed interface Command extends JsonSerializable {}

  /** {@code by}: who asks (a person, a key, the operator); recorded on the event, may be null. */
  public record Create(AgentConfig config, String by, ActorRef<Reply> replyTo) implements Command {
    public Create(AgentConfig config, ActorRef<Reply> replyTo) {
      this(config, null, replyTo);
    }
  }

  public record Update(AgentConfig config, String by, ActorRef<Reply> replyTo) implements Command {
    public Update(AgentConfig config, ActorRef<Reply> replyTo) {
      this(config, null, replyTo);
    }
  }

  public record Pause(String by, ActorRef<Reply> replyTo) implements Command {
    public Pause(ActorRef<Reply> replyTo) {
      this(null, replyTo);
    }
  }

  public record Resume(String by, ActorRef<Reply> replyTo) implements Command {
    public Resume(ActorRef<Reply> replyTo) {
      this(null, replyTo);
    }
  }

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** Retires the agent: it stays readable (the journal is its history) but answers and changes no more. */
  public record Archive(String by, ActorRef<Reply> replyTo) implements Command {
    public Archive(ActorRef<Reply> replyTo) {
      this(null, replyTo);
    }
  }

  public sealed interface Event extends JsonSerializable {}

  /** Events name who made the change ({@code by}: a person's name and id, a key, the operator); null in events written before. */
  public record AgentCreated(AgentConfig config, Instant at, String by) implements Event {
    public AgentCreated(AgentConfig config, Instant at) {
      this(config, at, null);
    }
  }

  public record AgentReconfigured(AgentConfig config, Instant at, String by) implements Event {
    public AgentReconfigured(AgentConfig config, Instant at) {
      this(config, at, null);
    }
  }

  public record AgentPaused(Instant at, String by) implements Event {}

  public record AgentResumed(Instant at, String by) implements Event {}

  public record AgentArchived(Instant at, String by) implements Event {}

  public sealed interface Reply extends JsonSerializable {}

  /** The agent as it now is, with its version (the number of changes so far). */
  public record Agent(String agentId, AgentConfig config, Status status, long version) implements Reply {}

  public record Rejected(Reason reason, List<String> problems) implements Reply {}

  public enum Reason {
    NOT_FOUND,
    CONFLICT,
    INVALID
  }

  public enum Status {
    ACTIVE,
    PAUSED,
    ARCHIVED
  }

  /** Agent events feed the agent listing (one projection; agents change rarely). */
  public static final String TAG = "agents";

  /** {@code config == null} until the agent is created. */
  public record State(AgentConfig config, Status status, long version) implements JsonSerializable {
    public static final State EMPTY = new State(null, Status.ACTIVE, 0);

    boolean exists() {
      return config != null;
    }
  }

  private final String agentId;
  private final EntitySettings settings;
  private final Clock clock;

  private AgentEntity(String agentId, EntitySettings settings, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), agentId));
    this.agentId = agentId;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Command> create(String agentId, EntitySettings settings, Clock clock) {
    return new AgentEntity(agentId, settings, clock);
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.exists())
        .onCommand(Create.class, this::onCreate)
        .onCommand(Update.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(Pause.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(Resume.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(Archive.class, (state, command) -> Effect().reply(command.replyTo(), notFound()));
    builder.forState(state -> state.exists() && state.status() == Status.ARCHIVED)
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), agent(state)))
        .onCommand(Archive.class, (state, command) -> Effect().reply(command.replyTo(), agent(state)))
        .onAnyCommand((state, command) -> Effect().reply(replyTo(command), archived()));
    builder.forState(State::exists)
        .onCommand(Create.class, (state, command) -> Effect().reply(command.replyTo(), state.config().equals(command.config())
            ? agent(state)
            : new Rejected(Reason.CONFLICT, List.of("agent " + agentId + " already exists"))))
        .onCommand(Update.class, this::onUpdate)
        .onCommand(Pause.class, (state, command) -> state.status() == Status.PAUSED
            ? Effect().reply(command.replyTo(), agent(state))
            : Effect().persist(new AgentPaused(clock.instant(), command.by())).thenReply(command.replyTo(), this::agent))
        .onCommand(Resume.class, (state, command) -> state.status() == Status.ACTIVE
            ? Effect().reply(command.replyTo(), agent(state))
            : Effect().persist(new AgentResumed(clock.instant(), command.by())).thenReply(command.replyTo(), this::agent))
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), agent(state)))
        .onCommand(Archive.class, (state, command) ->
            Effect().persist(new AgentArchived(clock.instant(), command.by())).thenReply(command.replyTo(), this::agent));
    return builder.build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create command) {
    List<String> problems = AgentRules.problems(command.config());
    if (!problems.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, problems));
    }
    return Effect().persist(new AgentCreated(command.config(), clock.instant(), command.by())).thenReply(command.replyTo(), this::agent);
  }

  private ReplyEffect<Event, State> onUpdate(State state, Update command) {
    List<String> problems = AgentRules.problems(command.config());
    if (!java.util.Objects.equals(command.config().orgId(), state.config().orgId())) {
      problems = new java.util.ArrayList<>(problems);
      problems.add("an agent cannot move to another organization");
    }
    if (!problems.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, problems));
    }
    if (command.config().equals(state.config())) {
      return Effect().reply(command.replyTo(), agent(state));
    }
    return Effect().persist(new AgentReconfigured(command.config(), clock.instant(), command.by())).thenReply(command.replyTo(), this::agent);
  }

  private Agent agent(State state) {
    return new Agent(agentId, state.config(), state.status(), state.version());
  }

  private Rejected archived() {
    return new Rejected(Reason.CONFLICT, List.of("agent " + agentId + " is archived"));
  }

  private static ActorRef<Reply> replyTo(Command command) {
    if (command instanceof Create c) return c.replyTo();
    if (command instanceof Update c) return c.replyTo();
    if (command instanceof Pause c) return c.replyTo();
    if (command instanceof Resume c) return c.replyTo();
    if (command instanceof Get c) return c.replyTo();
    return ((Archive) command).replyTo();
  }

  private Rejected notFound() {
    return new Rejected(Reason.NOT_FOUND, List.of("agent " + agentId + " does not exist"));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(AgentCreated.class, (state, event) -> new State(event.config(), Status.ACTIVE, state.version() + 1))
        .onEvent(AgentReconfigured.class, (state, event) -> new State(event.config(), state.status(), state.version() + 1))
        .onEvent(AgentPaused.class, (state, event) -> new State(state.config(), Status.PAUSED, state.version() + 1))
        .onEvent(AgentResumed.class, (state, event) -> new State(state.config(), Status.ACTIVE, state.version() + 1))
        .onEvent(AgentArchived.class, (state, event) -> new State(state.config(), Status.ARCHIVED, state.version() + 1))
        .build();
  }

  @Override
  public java.util.Set<String> tagsFor(Event event) {
    return java.util.Set.of(TAG);
  }
}
