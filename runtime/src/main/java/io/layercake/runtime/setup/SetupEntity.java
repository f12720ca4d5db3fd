package io.layercake.runtime.setup;

import io.layercake.config.EntitySettings;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A setup interview ({@code Setup|setupId}): a person from an agency talks with the setup agent
 * about one client business, and the agent writes {@code agent-config.json} and eight knowledge
 * documents through its file tools. Every message and every version of every file is an event; a
 * person's hand edit is one too, and the agent reads it on its next turn. A turn reserves the
 * catalog's price of a reply, runs the model (and its file tools, a few rounds at most), then
 * records the answer and commits the credits; it fails open like a conversation's turn when the
 * organization cannot be asked.
 */
public final class SetupEntity
    extends EventSourcedBehaviorWithEnforcedReplies<SetupEntity.Command, SetupEntity.Event, SetupState> {
  private static final Logger log = LoggerFactory.getLogger(SetupEntity.class);

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Setup");
  /** What setup turns are booked under in the ledger, in place of an agent. */
  public static final String AGENT_ID = "setup";
  public static final String COST_ITEM = "setup_reply";
  public static final int MAX_MESSAGE_CHARACTERS = 8_000;
  static final int MAX_TOOL_ROUNDS = 12;

  public sealed interface Command {}

  public record Start(String orgId, String ownerUserId, String ownerName, AgentConfig.ModelChoice model, ActorRef<Reply> replyTo)
      implements Command, JsonSerializable {}

  /** The owner writes; answered once the setup agent replied. */
  public record Say(String text, String by, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  /** A person writes a file by hand. */
  public record EditFile(String path, String content, String by, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  public record Get(ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  public record RecordConnection(SetupState.Connection connection, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  private record CreditsAnswered(int turn, OrgEntity.Reply reply, String failure) implements Command {}

  private record ModelAnswered(int turn, ModelReply reply, String failure) implements Command {}

  public sealed interface Event extends JsonSerializable {}

  public record SetupStarted(String orgId, String ownerUserId, String ownerName, AgentConfig.ModelChoice model, String opening, Instant at)
      implements Event {}

  public record OwnerWrote(String text, String by, Instant at) implements Event {}

  public record FileWritten(String path, String content, SetupState.Author author, String by, Instant at) implements Event {}

  public record AgentWrote(String text, long credits, Instant at) implements Event {}

  public record Connected(SetupState.Connection connection) implements Event {}

  public sealed interface Reply extends JsonSerializable {}

  public record Setup(String setupId, SetupState state) implements Reply {}

  public record Rejected(Reason reason, String message) implements Reply {}

  public enum Reason {
    NOT_FOUND,
    CONFLICT,
    BUSY,
    INVALID
  }

  /** What a setup needs besides its journal. */
  public record Dependencies(
      LanguageModel model, SetupCredits credits, SystemKnowledge knowledge, long replyCost, Duration modelTimeout,
      EntitySettings entities, Clock clock) {}

  /** The turn in flight (not persisted: a restart replays the owner's unanswered message). */
  private static final class Turn {
    private final int number;
    private final ActorRef<Reply> replyTo;
    private final List<ModelRequest.ToolRound> rounds = new ArrayList<>();
    private boolean reserved;

    private Turn(int number, ActorRef<Reply> replyTo) {
      this.number = number;
      this.replyTo = replyTo;
    }
  }

  private final String setupId;
  private final ActorContext<Command> context;
  private final Dependencies dependencies;
  private Turn turn;

  private SetupEntity(String setupId, ActorContext<Command> context, Dependencies dependencies) {
    super(PersistenceId.of(TYPE_KEY.name(), setupId));
    this.setupId = setupId;
    this.context = context;
    this.dependencies = dependencies;
  }

  public static Behavior<Command> create(String setupId, Dependencies dependencies) {
    return Behaviors.setup(context -> new SetupEntity(setupId, context, dependencies));
  }

  @Override
  public SetupState emptyState() {
    return SetupState.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(dependencies.entities().snapshotEvery(), dependencies.entities().keepSnapshots());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, SetupState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, SetupState> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.exists())
        .onCommand(Start.class, this::onStart)
        .onCommand(Say.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(EditFile.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onCommand(RecordConnection.class, (state, command) -> Effect().reply(command.replyTo(), notFound()))
        .onAnyCommand((state, command) -> Effect().noReply());
    builder.forState(SetupState::exists)
        .onCommand(Start.class, (state, command) -> Effect().reply(command.replyTo(), state.orgId().equals(command.orgId())
            ? setup(state) : new Rejected(Reason.CONFLICT, "setup " + setupId + " belongs to another organization")))
        .onCommand(Say.class, this::onSay)
        .onCommand(EditFile.class, this::onEditFile)
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), setup(state)))
        .onCommand(RecordConnection.class, (state, command) -> command.connection().equals(state.connection())
            ? Effect().reply(command.replyTo(), setup(state))
            : Effect().persist(new Connected(command.connection())).thenReply(command.replyTo(), this::setup))
        .onCommand(CreditsAnswered.class, this::onCreditsAnswered)
        .onCommand(ModelAnswered.class, this::onModelAnswered);
    return builder.build();
  }

  private ReplyEffect<Event, SetupState> onStart(SetupState state, Start command) {
    String opening = "Hi " + firstName(command.ownerName()) + "! I will ask you about the business, one question at a time, "
        + "and write the agent's files as we go (you see them on the right and can edit them). "
        + InterviewStep.sequence().get(0).question();
    return Effect().persist(new SetupStarted(command.orgId(), command.ownerUserId(), command.ownerName(),
            command.model() == null ? AgentConfig.ModelChoice.LOCAL : command.model(), opening, now()))
        .thenReply(command.replyTo(), this::setup);
  }

  private ReplyEffect<Event, SetupState> onSay(SetupState state, Say command) {
    if (turn != null) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.BUSY, "the setup agent is still answering the last message"));
    }
    if (command.text() == null || command.text().isBlank() || command.text().length() > MAX_MESSAGE_CHARACTERS) {
      return Effect().reply(command.replyTo(),
          new Rejected(Reason.INVALID, "a message has 1 to " + MAX_MESSAGE_CHARACTERS + " characters"));
    }
    return Effect().persist(new OwnerWrote(command.text().strip(), command.by(), now()))
        .thenRun(updated -> startTurn(updated, command.replyTo()))
        .thenNoReply();
  }

  private ReplyEffect<Event, SetupState> onEditFile(SetupState state, EditFile command) {
    if (!SetupFiles.known(command.path())) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID,
          "there is no file " + command.path() + "; the files are " + String.join(", ", SetupFiles.paths())));
    }
    if (command.content() == null || command.content().length() > SetupFiles.MAX_FILE_CHARACTERS) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID,
          "a file holds at most " + SetupFiles.MAX_FILE_CHARACTERS + " characters"));
    }
    if (state.current(command.path()).map(file -> file.content().equals(command.content())).orElse(false)) {
      return Effect().reply(command.replyTo(), setup(state));
    }
    return Effect().persist(new FileWritten(command.path(), command.content(), SetupState.Author.PERSON, command.by(), now()))
        .thenReply(command.replyTo(), this::setup);
  }

  private void startTurn(SetupState state, ActorRef<Reply> replyTo) {
    turn = new Turn(state.turns(), replyTo);
    int number = turn.number;
    context.pipeToSelf(dependencies.credits().reserve(state.orgId(), reservationId(number), dependencies.replyCost(), setupId),
        (reply, failure) -> new CreditsAnswered(number, reply, failure == null ? null : failure.toString()));
  }

  private ReplyEffect<Event, SetupState> onCreditsAnswered(SetupState state, CreditsAnswered answered) {
    if (turn == null || turn.number != answered.turn()) {
      return Effect().noReply();
    }
    if (answered.reply() instanceof OrgEntity.Reserved) {
      turn.reserved = true;
    } else if (answered.reply() instanceof OrgEntity.Rejected rejected) {
      return finish("There are no credits left to continue the setup (" + rejected.message()
          + "). Add credits on the billing page, then write again.", 0);
    } else {
      log.warn("Setup {} of org {}: credits could not be reserved ({}); the turn runs uncharged", setupId, state.orgId(),
          answered.failure() != null ? answered.failure() : answered.reply());
    }
    askModel(state);
    return Effect().noReply();
  }

  private void askModel(SetupState state) {
    int number = turn.number;
    ModelRequest request = SetupPrompt.request(state, dependencies.knowledge(), turn.rounds, dependencies.modelTimeout());
    context.pipeToSelf(dependencies.model().complete(request),
        (reply, failure) -> new ModelAnswered(number, reply, failure == null ? null : failure.toString()));
  }

  private ReplyEffect<Event, SetupState> onModelAnswered(SetupState state, ModelAnswered answered) {
    if (turn == null || turn.number != answered.turn()) {
      return Effect().noReply();
    }
    if (answered.failure() != null) {
      log.warn("Setup {} of org {}: the model did not answer: {}", setupId, state.orgId(), answered.failure());
      return finish("I could not answer just now (the model did not respond). Please write your last message again.", 0);
    }
    ModelReply reply = answered.reply();
    if (reply.toolCalls().isEmpty() || turn.rounds.size() >= MAX_TOOL_ROUNDS) {
      String text = reply.text() == null || reply.text().isBlank() ? "Done. What would you like to change next?" : reply.text().strip();
      return finish(text, turn.reserved ? dependencies.replyCost() : 0);
    }
    List<Event> writes = new ArrayList<>();
    SetupState after = state;
    for (ModelReply.ToolCallRequest call : reply.toolCalls()) {
      FileTools.Checked checked = FileTools.check(call, after);
      if (checked instanceof FileTools.Write write) {
        FileWritten written = new FileWritten(write.path(), write.content(), SetupState.Author.AGENT, null, now());
        writes.add(written);
        after = apply(after, written);
        turn.rounds.add(new ModelRequest.ToolRound(call, write.result()));
      } else {
        turn.rounds.add(new ModelRequest.ToolRound(call, ((FileTools.Answer) checked).result()));
      }
    }
    if (writes.isEmpty()) {
      askModel(state);
      return Effect().noReply();
    }
    return Effect().persist(writes).thenRun(this::askModel).thenNoReply();
  }

  /** Records the agent's answer, settles the turn's credits and answers the owner. */
  private ReplyEffect<Event, SetupState> finish(String text, long credits) {
    Turn done = turn;
    turn = null;
    return Effect().persist(new AgentWrote(text, credits, now())).thenRun(state -> {
      String reservation = reservationId(done.number);
      if (done.reserved) {
        // An unsettled reservation expires and is released by the sweeper: a lost commit never charges twice.
        (credits > 0
            ? dependencies.credits().commit(state.orgId(), reservation, credits, List.of(new CostLine(COST_ITEM, credits)))
            : dependencies.credits().release(state.orgId(), reservation))
            .whenCompleteAsync((settled, failure) -> {
              if (failure != null || settled instanceof OrgEntity.Rejected) {
                log.warn("Setup {} of org {}: reservation {} was not settled: {}", setupId, state.orgId(), reservation,
                    failure != null ? failure.toString() : settled);
              }
            }, context.getExecutionContext());
      }
      if (done.replyTo != null) {
        done.replyTo.tell(setup(state));
      }
    }).thenNoReply();
  }

  /** One reservation per turn: a turn replayed after a restart reserves under the same id, never twice. */
  private String reservationId(int turnNumber) {
    return "setup:" + setupId + ":" + turnNumber;
  }

  @Override
  public SignalHandler<SetupState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.exists() && state.awaitingAnswer()) {
            startTurn(state, null);
          }
        })
        .build();
  }

  @Override
  public EventHandler<SetupState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(SetupStarted.class, (state, event) -> state.started(event.orgId(), event.ownerUserId(), event.ownerName(),
            event.model(), new SetupState.Message(SetupState.Role.AGENT, event.opening(), null, 0, event.at())))
        .onEvent(OwnerWrote.class, (state, event) ->
            state.with(new SetupState.Message(SetupState.Role.OWNER, event.text(), event.by(), 0, event.at())))
        .onEvent(FileWritten.class, SetupEntity::apply)
        .onEvent(AgentWrote.class, (state, event) ->
            state.with(new SetupState.Message(SetupState.Role.AGENT, event.text(), null, event.credits(), event.at())))
        .onEvent(Connected.class, (state, event) -> state.connected(event.connection()))
        .build();
  }

  private static SetupState apply(SetupState state, FileWritten event) {
    return state.written(event.path(), event.content(), event.author(), event.by(), event.at());
  }

  private Setup setup(SetupState state) {
    return new Setup(setupId, state);
  }

  private Rejected notFound() {
    return new Rejected(Reason.NOT_FOUND, "setup " + setupId + " does not exist");
  }

  private Instant now() {
    return dependencies.clock().instant();
  }

  private static String firstName(String name) {
    if (name == null || name.isBlank()) {
      return "there";
    }
    return name.strip().split("\\s+")[0];
  }
}
