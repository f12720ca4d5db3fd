package io.layercake.runtime.credits;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.layercake.config.EntitySettings;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * An organization and its credit balance ({@code Org|orgId}). This is the skeleton the ledger
 * grows from: an organization is opened with a tier, and credits are granted into buckets,
 * once per idempotency key.
 */
public final class OrgEntity
    extends EventSourcedBehaviorWithEnforcedReplies<OrgEntity.Command, OrgEntity.Event, OrgEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Org");

  // ---- commands ----

  public sealed interface Command extends JsonSerializable {}

  /** Opens the organization. Repeating it with the same details is harmless; other details are refused. */
  public record Open(String name, String tier, String parentOrgId, ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * Adds credits to a bucket, once per {@code periodKey} and bucket (for example the monthly
   * allocation of {@code 2026-11}).
   */
  public record Grant(String periodKey, Bucket bucket, long amount, ActorRef<Reply> replyTo)
      implements Command {}

  public record GetSummary(ActorRef<Reply> replyTo) implements Command {}

  // ---- events ----

  public sealed interface Event extends JsonSerializable {}

  public record Opened(String orgId, String name, String tier, String parentOrgId, Instant at) implements Event {}

  public record Granted(String orgId, String periodKey, Bucket bucket, long amount, Instant at) implements Event {}

  // ---- replies ----

  /** Every command answers with the organization as it now is, or why nothing changed. */
  public sealed interface Reply extends JsonSerializable {}

  public record Accepted(Summary summary) implements Reply {}

  public record Rejected(Reason reason, String message) implements Reply {}

  /** Why a command was refused, for callers that map it (an HTTP status, for example). */
  public enum Reason {
    NOT_FOUND,
    CONFLICT,
    INVALID
  }

  /** What an organization looks like from outside. */
  public record Summary(String orgId, String name, String tier, String parentOrgId, Balances balances)
      implements JsonSerializable {
    public Optional<String> parent() {
      return Optional.ofNullable(parentOrgId);
    }
  }

  // ---- state ----

  /**
   * The organization's state; {@code name == null} until it is opened. Grant keys are kept whole
   * for now: one per bucket and period, so a few dozen a year.
   */
  public record State(String name, String tier, String parentOrgId, Balances balances, Set<String> appliedGrantKeys)
      implements JsonSerializable {
    public static final State UNOPENED = new State(null, null, null, Balances.EMPTY, Set.of());

    public State {
      appliedGrantKeys = Set.copyOf(appliedGrantKeys);
    }

    @JsonIgnore
    public boolean isOpen() {
      return name != null;
    }

    State opened(Opened event) {
      return new State(event.name(), event.tier(), event.parentOrgId(), balances, appliedGrantKeys);
    }

    State granted(Granted event) {
      Set<String> keys = new HashSet<>(appliedGrantKeys);
      keys.add(grantKey(event.bucket(), event.periodKey()));
      return new State(name, tier, parentOrgId, balances.plus(event.bucket(), event.amount()), keys);
    }

    boolean hasApplied(Bucket bucket, String periodKey) {
      return appliedGrantKeys.contains(grantKey(bucket, periodKey));
    }

    Summary summary(String orgId) {
      return new Summary(orgId, name, tier, parentOrgId, balances);
    }

    private static String grantKey(Bucket bucket, String periodKey) {
      return bucket.name() + ":" + periodKey;
    }
  }

  // ---- behavior ----

  private final String orgId;
  private final EntitySettings settings;
  private final Clock clock;

  private OrgEntity(String orgId, EntitySettings settings, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), orgId));
    this.orgId = orgId;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Command> create(String orgId, EntitySettings settings) {
    return create(orgId, settings, Clock.systemUTC());
  }

  public static Behavior<Command> create(String orgId, EntitySettings settings, Clock clock) {
    return Behaviors.setup(context -> {
      context.getLog().debug("Starting org entity {}", orgId);
      return new OrgEntity(orgId, settings, clock);
    });
  }

  @Override
  public State emptyState() {
    return State.UNOPENED;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.isOpen())
        .onCommand(Open.class, this::onOpen)
        .onCommand(Grant.class, (state, command) -> Effect().reply(command.replyTo(), notOpen()))
        .onCommand(GetSummary.class, (state, command) -> Effect().reply(command.replyTo(), notOpen()));
    builder.forState(State::isOpen)
        .onCommand(Open.class, this::onOpenAgain)
        .onCommand(Grant.class, this::onGrant)
        .onCommand(GetSummary.class, (state, command) -> Effect().reply(command.replyTo(), new Accepted(state.summary(orgId))));
    return builder.build();
  }

  private ReplyEffect<Event, State> onOpen(State state, Open command) {
    if (command.name() == null || command.name().isBlank()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "name must not be empty"));
    }
    if (command.tier() == null || command.tier().isBlank()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "tier must not be empty"));
    }
    Opened opened = new Opened(orgId, command.name().strip(), command.tier(), command.parentOrgId(), clock.instant());
    return Effect().persist(opened).thenReply(command.replyTo(), newState -> new Accepted(newState.summary(orgId)));
  }

  private ReplyEffect<Event, State> onOpenAgain(State state, Open command) {
    boolean same = state.name().equals(command.name() == null ? null : command.name().strip())
        && state.tier().equals(command.tier())
        && java.util.Objects.equals(state.parentOrgId(), command.parentOrgId());
    return Effect().reply(
        command.replyTo(),
        same
            ? new Accepted(state.summary(orgId))
            : new Rejected(Reason.CONFLICT, "organization " + orgId + " is already open with other details"));
  }

  private ReplyEffect<Event, State> onGrant(State state, Grant command) {
    if (command.amount() <= 0) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "amount must be greater than 0"));
    }
    if (command.periodKey() == null || command.periodKey().isBlank()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "periodKey must not be empty"));
    }
    if (state.hasApplied(command.bucket(), command.periodKey())) {
      return Effect().reply(command.replyTo(), new Accepted(state.summary(orgId)));
    }
    Granted granted = new Granted(orgId, command.periodKey(), command.bucket(), command.amount(), clock.instant());
    return Effect().persist(granted).thenReply(command.replyTo(), newState -> new Accepted(newState.summary(orgId)));
  }

  private Reply notOpen() {
    return new Rejected(Reason.NOT_FOUND, "organization " + orgId + " does not exist");
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Opened.class, State::opened)
        .onEvent(Granted.class, State::granted)
        .build();
  }
}
