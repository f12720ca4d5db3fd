package io.layercake.runtime.session;

import static io.layercake.runtime.session.OutreachSteps.cancelled;
import static io.layercake.runtime.session.OutreachSteps.nextStep;
import static io.layercake.runtime.session.OutreachSteps.stopsOnBooking;
import static io.layercake.runtime.session.OutreachSteps.whyNotSent;

import io.layercake.config.Costs;
import io.layercake.config.EntitySettings;
import io.layercake.config.SessionSettings;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.bookings.BookingDesk;
import io.layercake.runtime.bookings.BookingOutcome;
import io.layercake.runtime.bookings.BookingRequest;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import io.layercake.runtime.channel.SmsKeywords;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.runtime.concurrent.AskPattern;
import io.layercake.runtime.concurrent.Timeouts;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.llm.ModelFailure;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.llm.ReplyStream;
import io.layercake.runtime.metrics.RuntimeMetrics;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.OutreachPolicy;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.reference.ReferenceData;
import io.layercake.runtime.session.OutreachSteps.Occasion;
import io.layercake.runtime.session.SessionCommand.*;
import io.layercake.runtime.session.SessionEvent.*;
import io.layercake.runtime.session.SessionReply.*;
import io.layercake.runtime.session.SessionState.*;
import io.layercake.runtime.tools.Tool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One conversation ({@code Session|sessionId}): takes each inbound message to a paid, delivered
 * reply exactly once. The turn: the agent's configuration, its credits (a reservation at the
 * organization, or the conversation's lease: {@link CreditLeases}), the model (with tool rounds and
 * approvals), the charge and {@link AgentReplied} persisted together, the reply handed to the
 * channel. Every slow step runs asynchronously and comes back as a message; every failure path
 * releases the reservation (or keeps the lease, uncharged) and hands the conversation to people
 * (fail-open). After a restart the conversation resumes whatever it had not finished.
 *
 * <p>Sharding stops it with {@link Stop} (passivation, or its shard handed to another node when
 * this node leaves). A message being sent then is finished and recorded first, so the next
 * incarnation does not send it again; a lease goes back first unless the node itself is stopping;
 * anything else in flight (a model call) is simply redone there.
 */
public final class SessionEntity
    extends EventSourcedBehaviorWithEnforcedReplies<SessionCommand, SessionEvent, SessionState> {

  public static final EntityTypeKey<SessionCommand> TYPE_KEY = EntityTypeKey.create(SessionCommand.class, "Session");
  /** Session events feed the conversation read model, in a few slices so projections run in parallel. */
  public static final List<String> TAGS = List.of("sessions-0", "sessions-1", "sessions-2", "sessions-3");

  static final String APOLOGY = "Sorry, I can't answer that right now. A person from the team will get back to you soon.";
  static final String UNAVAILABLE = "Sorry, we can't answer messages here right now. Please try again later.";
  /** What the customer is told when the agent hands over without a word of its own. */
  public static final String HANDOFF_REPLY = "I'll ask a person from the team to get back to you.";
  static final String TEAM = "team";
  /** The cost line of a reply's SMS segments: charged only once the provider accepted the reply. */
  static final String SMS_SEGMENT = "sms_segment";
  /** The cost line of a message the platform starts on its own (a sequence's step, a review request). */
  static final String OUTREACH_MESSAGE = "outreach_message";
  static final String OPTED_OUT = "the contact opted out (texted STOP); nothing is sent until they text START";
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final String LEASE_TIMER = "lease";
  /** The class's logger, shared by all conversations; their context (org, agent, session) goes in the MDC. */
  private static final Logger log = LoggerFactory.getLogger(SessionEntity.class);
  private static final String RESERVE_TIMER = "reserve-again";
  private static final String AGENT_TIMER = "agent-again";
  /** How long a turn waits before asking again for credits other turns and leases hold. */
  private static final Duration CREDITS_HELD_RETRY = Duration.ofSeconds(1);
  /** How long a turn waits before asking again for its agent's configuration that did not come (its entity is moving). */
  private static final Duration AGENT_RETRY = Duration.ofSeconds(1);
  private static final Duration MODEL_SLACK = Duration.ofSeconds(2);
  /** How soon a follow-up whose organization's outreach settings could not be read is tried again. */
  private static final Duration OUTREACH_RETRY = Duration.ofSeconds(30);

  public static String tagFor(String sessionId) {
    return TAGS.get(Math.floorMod(sessionId.hashCode(), TAGS.size()));
  }

  // ---- commands ----

  private record StartTurn() implements SessionCommand {}

  private record AgentLoaded(Purpose purpose, int turn, AgentEntity.Reply reply, Throwable failure) implements SessionCommand {}

  private record ReservationAnswered(int turn, OrgEntity.Reply reply, Throwable failure) implements SessionCommand {}

  /** {@code call}: which model call of this incarnation answered; a call superseded by a restart is dropped. */
  private record ModelAnswered(int turn, int call, AgentResponder.Answer answer, Map<String, BookingOutcome> bookings, Throwable failure)
      implements SessionCommand {}

  /** The model's answer with what its {@code book_appointment} calls came to, by call id. */
  private record Thought(AgentResponder.Answer answer, Map<String, BookingOutcome> bookings) {}

  private record SettlementAnswered(int turn, OrgEntity.Reply reply, Throwable failure) implements SessionCommand {}

  private record SettleAgain(int turn) implements SessionCommand {}

  /** The turn asks for its credits again, after they were held by others ({@link OrgEntity.CreditsHeld}). */
  private record ReserveAgain(int turn) implements SessionCommand {}

  /** The agent's configuration is asked for again, after no answer came (its entity moving after a node loss). */
  private record LoadAgentAgain(Purpose purpose, int turn) implements SessionCommand {}

  /** The turn settles on the conversation's lease: nothing to ask the organization. */
  private record SettleOnLease(int turn) implements SessionCommand {}

  /** The organization answered the return of the lease {@code reservationId}; {@code renewTurn}: the turn to reserve again after. */
  private record LeaseAnswered(String reservationId, Integer renewTurn, OrgEntity.Reply reply, Throwable failure)
      implements SessionCommand {}

  /** The lease went unused for its idle time, or its return is to be tried again ({@code renewTurn} as in {@link LeaseAnswered}). */
  private record LeaseIdle(Integer renewTurn) implements SessionCommand {}

  /** The organization answered the charge of a reply not yet written ({@code events} and {@code reply} are to be written). */
  private record ReplyCharged(int turn, List<SessionEvent> events, AgentReplied reply, OrgEntity.Reply answer, Throwable failure)
      implements SessionCommand {}

  private record SendAnswered(String outboundId, SendOutcome outcome, Throwable failure) implements SessionCommand {}

  private record SendAgain() implements SessionCommand {}

  private record ApprovalDue(String approvalId) implements SessionCommand {}

  private record FollowupDue(String followupId) implements SessionCommand {}

  /** The organization's outreach settings, read for a follow-up about to go out (or why they could not be). */
  private record FollowupPlanned(String followupId, OutreachSettings settings, Throwable failure) implements SessionCommand {}

  /**
   * What the organization set for outreach and the agent's sequences, read because of {@code occasion}
   * ({@code wanted}: the sequence a person or the agent named; {@code replyTo}: the person's, else null).
   */
  private record OutreachLooked(Occasion occasion, String wanted, String by, OutreachSettings settings,
      List<FollowupSequence> sequences, Throwable failure, ActorRef<SessionReply> replyTo) implements SessionCommand {}

  /** An outreach message's review link claimed and its credits charged (or why not): it may be written now. */
  private record FollowupReady(String followupId, String text, MessageTemplate template, Optional<String> reviewLink,
      OrgEntity.Reply charge, long credits, Throwable failure) implements SessionCommand {}

  private record ReminderDue() implements SessionCommand {}

  private record HelpTextReady(String text) implements SessionCommand {}

  /** The channel's word on whether a reply could reach the contact at all ({@code refusal} null: it may). */
  private record ChannelChecked(String refusal, Throwable failure) implements SessionCommand {}

  private enum Purpose {
    /** Start the next turn. */
    START,
    /** Go on with the turn in flight. */
    RESUME
  }


  // ---- behavior ----

  /** What a conversation needs from outside. */
  public record Dependencies(
      SessionSettings settings,
      EntitySettings entities,
      Costs costs,
      Function<String, RecipientRef<AgentEntity.Command>> agents,
      Function<String, RecipientRef<OrgEntity.Command>> orgs,
      AgentResponder responder,
      ChannelPort channel,
      Duration askTimeout,
      Clock clock,
      RuntimeMetrics metrics,
      BookingDesk bookings,
      OutreachPolicy outreach) {}

  private final String sessionId;
  private final Dependencies dependencies;
  private final SessionSettings settings;
  /** What conversations remember under today's settings; each conversation's own are in its state. */
  private final ConversationWindows windows;
  private final ActorContext<SessionCommand> context;
  private final TimerScheduler<SessionCommand> timers;

  /** The agent's configuration as last read; refreshed at the start of every turn. */
  private AgentConfig config;
  /** An asynchronous step of the turn (config, reservation, model, settlement) is under way. */
  private boolean stepInFlight;
  /** The outbound message the channel is sending now. */
  private String sending;
  /** Sharding asked to stop while a message was being sent: stop once its outcome is recorded. */
  private boolean stopping;
  private int sendAttempts;
  private int settleAttempts;
  /** When the turn in flight started (for its latency) and how long its model calls took, on this incarnation. */
  private Instant turnStartedAt;
  private Duration modelTime = Duration.ZERO;
  private Instant thinkingSince;
  /** Counts this incarnation's model calls; only the latest one's answer is used. */
  private int modelCall;
  /** When the turn in flight first asked for its reservation, while no answer came back (backpressure). */
  private Instant reservingSince;
  /** When the agent's configuration was first asked for, while no answer came back. */
  private Instant loadingAgentSince;
  /** The turn in flight while it has written nothing yet. */
  private final UnwrittenTurn unwritten = new UnwrittenTurn();
  /** A reply's charge is being asked of the organization: every other command waits (stashed) until it is written. */
  private boolean chargingReply;
  /** Tells this incarnation's streamed replies from an earlier one's (a turn asked again after a restart streams anew). */
  private final long incarnation = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40);
  /** The outreach message whose credits are being charged: every other command waits (stashed) until it is written. */
  private String preparingFollowup;
  private final CreditLeases leases;
  /** What the organization said of the turn's reservation in this incarnation; null before it said anything. */
  private CreditLeases.Held held;
  private int leaseReturnAttempts;
  /** The lease's return is being asked of the organization. */
  private boolean returningLease;

  private SessionEntity(String sessionId, Dependencies dependencies, ActorContext<SessionCommand> context, TimerScheduler<SessionCommand> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), sessionId));
    this.sessionId = sessionId;
    this.dependencies = dependencies;
    this.settings = dependencies.settings();
    this.windows = ConversationWindows.of(settings);
    this.leases = new CreditLeases(sessionId, settings);
    this.context = context;
    this.timers = timers;
  }

  public static Behavior<SessionCommand> create(String sessionId, Dependencies dependencies) {
    return Behaviors.setup(context -> {
      // Waits in the stash until recovery completed, like every command sent meanwhile: then picks up unfinished
      // work. (A RecoveryCompleted signal handler did the same, at the cost of a handler built per conversation.)
      context.getSelf().tell(new Wake("recovered"));
      return Behaviors.withTimers(timers -> new SessionEntity(sessionId, dependencies, context, timers));
    });
  }

  @Override
  public SessionState emptyState() {
    return SessionState.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(InStep.snapshotEvery(sessionId, dependencies.entities().snapshotEvery()),
        dependencies.entities().keepSnapshots());
  }

  @Override
  public Set<String> tagsFor(SessionEvent event) {
    return Set.of(tagFor(sessionId));
  }

  @Override
  public EventHandler<SessionState, SessionEvent> eventHandler() {
    return EVENT_HANDLER;
  }

  /** Every state applies its own events: one handler for all conversations, not a builder's table each. */
  private static final EventHandler<SessionState, SessionEvent> EVENT_HANDLER = SessionState::apply;

  /** What one command does to one conversation. */
  @FunctionalInterface
  private interface Handler<C extends SessionCommand> {
    ReplyEffect<SessionEvent, SessionState> handle(SessionEntity conversation, SessionState state, C command);
  }

  /**
   * The command table, built once for every conversation (a builder's table per entity cost each
   * live conversation about 2 KB of heap).
   */
  private static final Map<Class<?>, Handler<?>> HANDLERS = handlers();

  private static Map<Class<?>, Handler<?>> handlers() {
    Map<Class<?>, Handler<?>> table = new java.util.HashMap<>();
    on(table, Receive.class, SessionEntity::onReceive);
    on(table, SendAsHuman.class, SessionEntity::onSendAsHuman);
    on(table, SendTemplate.class, SessionEntity::onSendTemplate);
    on(table, ReachOut.class, SessionEntity::onReachOut);
    on(table, HandOff.class, SessionEntity::onHandOff);
    on(table, HandBack.class, SessionEntity::onHandBack);
    on(table, Close.class, SessionEntity::onClose);
    on(table, Reopen.class, SessionEntity::onReopen);
    on(table, Decide.class, SessionEntity::onDecide);
    on(table, GetConversation.class, SessionEntity::onGetConversation);
    on(table, DeliveryReceipt.class, SessionEntity::onDeliveryReceipt);
    on(table, Wake.class, SessionEntity::onWake);
    on(table, StartTurn.class, SessionEntity::onStartTurn);
    on(table, AgentLoaded.class, SessionEntity::onAgentLoaded);
    on(table, ReservationAnswered.class, SessionEntity::onReservationAnswered);
    on(table, ModelAnswered.class, SessionEntity::onModelAnswered);
    on(table, SettlementAnswered.class, SessionEntity::onSettlementAnswered);
    on(table, ReplyCharged.class, SessionEntity::onReplyCharged);
    on(table, SettleAgain.class, (conversation, state, command) -> {
      if (conversation.isCurrent(state, command.turn(), Stage.SETTLING) && !conversation.stepInFlight) {
        conversation.settle(state);
      }
      return conversation.Effect().noReply();
    });
    on(table, ReserveAgain.class, (conversation, state, command) -> {
      if (conversation.isCurrent(state, command.turn(), Stage.THINKING) && !conversation.stepInFlight) {
        conversation.reserve(state);
      }
      return conversation.Effect().noReply();
    });
    on(table, LoadAgentAgain.class, (conversation, state, command) -> {
      conversation.loadAgent(state, command.purpose(), command.turn());
      return conversation.Effect().noReply();
    });
    on(table, SettleOnLease.class, SessionEntity::onSettleOnLease);
    on(table, LeaseAnswered.class, SessionEntity::onLeaseAnswered);
    on(table, LeaseIdle.class, (conversation, state, command) -> {
      boolean renewing = command.renewTurn() != null && conversation.isCurrent(state, command.renewTurn(), Stage.THINKING);
      boolean stopping = conversation.stopping || conversation.nodeStopping(); // the next incarnation returns it
      if (state.lease() != null && (state.turn() == null || renewing) && !conversation.stepInFlight && !stopping) {
        conversation.returnLease(state, renewing ? command.renewTurn() : null);
      }
      return conversation.Effect().noReply();
    });
    on(table, SendAnswered.class, SessionEntity::onSendAnswered);
    on(table, SendAgain.class, (conversation, state, command) -> {
      conversation.sendNext(state);
      return conversation.Effect().noReply();
    });
    on(table, ApprovalDue.class, SessionEntity::onApprovalDue);
    on(table, FollowupDue.class, SessionEntity::onFollowupDue);
    on(table, FollowupPlanned.class, SessionEntity::onFollowupPlanned);
    on(table, FollowupReady.class, SessionEntity::onFollowupReady);
    on(table, StartSequence.class, SessionEntity::onStartSequence);
    on(table, StopSequence.class, SessionEntity::onStopSequence);
    on(table, OutreachLooked.class, SessionEntity::onOutreachLooked);
    on(table, ArrangeReminder.class, SessionEntity::onArrangeReminder);
    on(table, ReminderDue.class, SessionEntity::onReminderDue);
    on(table, HelpTextReady.class, SessionEntity::onHelpTextReady);
    on(table, ChannelChecked.class, SessionEntity::onChannelChecked);
    on(table, Stop.class, SessionEntity::onStop);
    return Map.copyOf(table);
  }

  private static <C extends SessionCommand> void on(Map<Class<?>, Handler<?>> table, Class<C> type, Handler<C> handler) {
    table.put(type, handler);
  }

  @Override
  public CommandHandlerWithReply<SessionCommand, SessionEvent, SessionState> commandHandler() {
    return this::handle;
  }

  @SuppressWarnings("unchecked")
  private ReplyEffect<SessionEvent, SessionState> handle(SessionState state, SessionCommand command) {
    if (chargingReply && !(command instanceof ReplyCharged)) {
      return Effect().stash(); // the reply and its charge are one step: nothing may change the turn in between
    }
    if (preparingFollowup != null && !(command instanceof FollowupReady)) {
      return Effect().stash(); // an outreach message and its charge are one step: nothing may cancel it in between
    }
    Handler<SessionCommand> handler = (Handler<SessionCommand>) HANDLERS.get(command.getClass());
    if (handler == null) {
      throw new IllegalArgumentException("no handler for " + command.getClass().getName());
    }
    return handler.handle(this, unwritten.view(state), command);
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<SessionEvent, SessionState> persist(SessionEvent event) {
    return persist(List.of(event));
  }

  /** Every write of the entity goes through here, so a turn not written yet ({@link UnwrittenTurn}) is written with it. */
  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<SessionEvent, SessionState> persist(List<SessionEvent> events) {
    return Effect().persist(unwritten.withStart(events));
  }

  /** {@link org.apache.pekko.persistence.typed.javadsl.EffectBuilder#thenUnstashAll()} is typed as a plain effect in the Java DSL; its implementation is a builder. */
  @SuppressWarnings("unchecked")
  private static ReplyEffect<SessionEvent, SessionState> unstashingAll(
      org.apache.pekko.persistence.typed.javadsl.EffectBuilder<SessionEvent, SessionState> effect) {
    return ((org.apache.pekko.persistence.typed.javadsl.EffectBuilder<SessionEvent, SessionState>) effect.thenUnstashAll()).thenNoReply();
  }

  private ReplyEffect<SessionEvent, SessionState> onStop(SessionState state, Stop stop) {
    if (sending == null && !stopping && state.lease() != null && state.turn() == null && !stepInFlight && !nodeStopping()) {
      // Passivated or moved holding a lease: it goes back first. A turn in flight keeps it for the
      // next incarnation, and so does a node that stops (its organizations move too, and a stop must
      // not wait for them); the next incarnation returns it when idle.
      stopping = true;
      returnLease(state, null);
      return Effect().noReply();
    }
    if (sending == null && !returningLease) {
      return Effect().stop().thenNoReply();
    }
    if (!stopping) {
      stopping = true;
      withContext(state, () -> log.info(sending != null ? "Stopping once message {} is sent" : "Stopping once the lease is returned",
          sending));
    }
    return Effect().noReply();
  }

  // ---- inbound ----

  private ReplyEffect<SessionEvent, SessionState> onReceive(SessionState state, Receive command) {
    InboundMessage message = command.message();
    String problem = message.problem();
    if (problem == null && !message.key().sessionId().equals(sessionId)) {
      problem = "the message belongs to conversation " + message.key().sessionId() + ", not " + sessionId;
    }
    if (problem != null) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, problem));
    }
    if (state.started() && state.seen(message.messageId())) {
      return Effect().reply(command.replyTo(), new Received(sessionId, true));
    }
    if (message.kind() != InboundMessage.Kind.MESSAGE) {
      return recordWithoutTurn(state, message, command.replyTo());
    }
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>();
    if (!state.started()) {
      events.add(new ConversationStarted(
          new Profile(sessionId, message.orgId(), message.agentId(), message.channel(), message.contact()), now, windows));
    } else if (state.status() == Status.CLOSED) {
      events.add(new Reopened("customer", now));
    }
    Optional<SmsKeywords.Keyword> keyword = SmsSegments.CHANNEL.equals(message.channel())
        ? SmsKeywords.of(message.text()) : Optional.empty();
    SmsKeywords.Kind kind = keyword.map(SmsKeywords.Keyword::kind).orElse(null);
    boolean optedOut = kind == SmsKeywords.Kind.OPT_OUT || state.optedOut() && kind != SmsKeywords.Kind.OPT_IN;
    boolean forAgent = kind == null && !optedOut
        && (!state.started() || state.status() == Status.CLOSED || state.agentOwns());
    boolean optingOut = kind == SmsKeywords.Kind.OPT_OUT && !state.optedOut();
    for (Followup followup : state.followups()) {
      if (optingOut && !followup.reminder()) {
        events.addAll(cancelled(followup, "the contact opted out", now));
      } else if (followup.purpose() == null || followup.sequence() != null && followup.sequence().stopOnReply()) {
        events.addAll(cancelled(followup, "the customer wrote first", now));
      }
    }
    Instant sentAt = message.sentAt() == null || message.sentAt().isAfter(now) ? null : message.sentAt();
    events.add(new MessageReceived(message.messageId(), message.text(), forAgent, now, sentAt));
    boolean joins = forAgent && joinsTurn(state);
    if (joins) {
      events.add(new TurnRestarted(state.turn().number(), List.of(message.messageId()),
          config.doubleTexting() == AgentConfig.DoubleTexting.INTERRUPT, now));
    }
    if (kind == SmsKeywords.Kind.OPT_OUT && !state.optedOut()) {
      cancelTurn(state, "the contact opted out", events);
      events.add(new ContactOptedOut(message.messageId(), keyword.get().word(), now));
    } else if (kind == SmsKeywords.Kind.OPT_IN && state.optedOut()) {
      events.add(new ContactOptedIn(message.messageId(), keyword.get().word(), now));
    }
    return persist(events)
        .thenRun(after -> {
          cancelTimersOfGoneFollowups(state, after);
          String why = kind != null ? " (keyword " + kind + ")" : optedOut ? " from a contact who opted out"
              : forAgent ? "" : " while people own the conversation";
          withContext(after, () -> log.info("Message {} received{}", message.messageId(), why));
          dependencies.metrics().inboundMessage(message.channel());
          if (joins) {
            restartModelCall(after);
          } else if (forAgent) {
            scheduleTurn(after);
          }
          if (kind == SmsKeywords.Kind.OPT_OUT) {
            settle(after);
          } else if (kind == SmsKeywords.Kind.HELP && !after.optedOut()) {
            askHelpText(after);
          }
        })
        .thenReply(command.replyTo(), after -> new Received(sessionId, false));
  }

  /**
   * A reaction or a message without content: recorded, and nothing else changes (no turn, no
   * charge, the conversation is not reopened and its follow-ups stay).
   */
  private ReplyEffect<SessionEvent, SessionState> recordWithoutTurn(
      SessionState state, InboundMessage message, ActorRef<SessionReply> replyTo) {
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>();
    if (!state.started()) {
      events.add(new ConversationStarted(
          new Profile(sessionId, message.orgId(), message.agentId(), message.channel(), message.contact()), now, windows));
    }
    if (message.kind() == InboundMessage.Kind.REACTION) {
      String emoji = message.text() == null || message.text().isBlank() ? null : message.text();
      String outboundId = state.sentAs(message.reactsTo()).map(Outbound::outboundId).orElse(null);
      events.add(new ReactionReceived(message.messageId(), message.reactsTo(), outboundId, emoji, now));
    } else {
      events.add(new NoticeReceived(message.messageId(), message.kind(), message.text(), now));
    }
    return persist(events)
        .thenRun(after -> {
          withContext(after, () -> log.info("{} {} recorded; it starts no turn", message.kind(), message.messageId()));
          dependencies.metrics().inboundMessage(message.channel());
        })
        .thenReply(replyTo, after -> new Received(sessionId, false));
  }

  /** The organization's help text names the business; the keyword's answer is free and starts no turn. */
  private void askHelpText(SessionState state) {
    context.pipeToSelf(
        AskPattern.ask(dependencies.orgs().apply(state.profile().orgId()), OrgEntity.GetSummary::new,
            dependencies.askTimeout(), context.getSystem().scheduler()),
        (reply, failure) -> new HelpTextReady(
            helpText(reply instanceof OrgEntity.Accepted accepted ? accepted.summary().name() : null)));
  }

  static String helpText(String business) {
    String name = blank(business) ? "This number" : business.strip();
    return name + ": you are texting our assistant. SessionReply STOP to stop messages, START to get them again."
        + " For anything else, just write your question.";
  }

  private ReplyEffect<SessionEvent, SessionState> onHelpTextReady(SessionState state, HelpTextReady ready) {
    if (state.optedOut()) {
      return Effect().noReply();
    }
    String outboundId = outboundId(state);
    ReplyQueued help = new ReplyQueued(outboundId, OutboundKind.HELP, SessionState.AGENT, ready.text(), null, now());
    return persist(help)
        .thenRun(this::sendNext)
        .thenNoReply();
  }

  /**
   * Starts a turn at once, unless one is already under way: messages that arrive while it works are
   * handled by the agent's double-texting policy ({@link #joinsTurn}), never by waiting for more.
   */
  private void scheduleTurn(SessionState state) {
    if (state.turn() != null || state.pending().isEmpty() || !state.agentOwns() || stepInFlight) {
      return;
    }
    context.getSelf().tell(new StartTurn());
  }

  private ReplyEffect<SessionEvent, SessionState> onStartTurn(SessionState state, StartTurn command) {
    if (state.turn() == null && !state.pending().isEmpty() && state.agentOwns() && !stepInFlight) {
      loadAgent(state, Purpose.START, 0);
    }
    return Effect().noReply();
  }

  /**
   * A message for the agent that arrives while its turn has not answered yet joins that turn (the
   * coalesce and interrupt policies), as long as the turn has done nothing the customer could see or
   * that costs: no tool ran and no approval is pending. Otherwise, and under queue, it waits its turn.
   */
  private boolean joinsTurn(SessionState state) {
    Turn turn = state.turn();
    return turn != null && turn.stage() == Stage.THINKING && turn.tools().isEmpty() && config != null
        && config.doubleTexting() != AgentConfig.DoubleTexting.QUEUE && state.agentOwns();
  }

  /** The turn's messages changed while its model was working: that call's answer is dropped, and the model asked again. */
  private void restartModelCall(SessionState state) {
    if (thinkingSince == null) {
      return; // the reservation or the agent's configuration is still being read: the model has not been called
    }
    thinkingSince = null;
    withContext(state, () -> log.info("Turn {} now answers {} message(s); asking the model again",
        state.turn().number(), state.turn().messages().size()));
    think(state);
  }

  private void loadAgent(SessionState state, Purpose purpose, int turn) {
    stepInFlight = true;
    if (loadingAgentSince == null) {
      loadingAgentSince = now();
    }
    String agentId = state.profile().agentId();
    // Kept on the node until the agent changes anywhere in the cluster (ReferenceData): no ask per turn.
    context.pipeToSelf(
        ReferenceData.get(context.getSystem()).<AgentEntity.Reply>cache(ReferenceData.AGENTS)
            .get(agentId, () -> AskPattern.ask(dependencies.agents().apply(agentId), AgentEntity.Get::new,
                dependencies.askTimeout(), context.getSystem().scheduler()), AgentEntity.Agent.class::isInstance),
        (reply, failure) -> new AgentLoaded(purpose, turn, reply, failure));
  }

  private ReplyEffect<SessionEvent, SessionState> onAgentLoaded(SessionState state, AgentLoaded loaded) {
    Instant askedSince = loadingAgentSince;
    loadingAgentSince = null;
    if (loaded.failure() != null && askedSince != null
        && Duration.between(askedSince, now()).compareTo(settings.creditWait()) < 0) {
      // No answer is not "no agent": its entity is moving (a node was lost) or busy. The turn waits, the step stays in flight.
      withContext(state, () -> log.info("No answer from agent {} yet ({}); asking again",
          state.profile().agentId(), loaded.failure().getClass().getSimpleName()));
      loadingAgentSince = askedSince;
      timers.startSingleTimer(AGENT_TIMER, new LoadAgentAgain(loaded.purpose(), loaded.turn()), AGENT_RETRY);
      return Effect().noReply();
    }
    stepInFlight = false;
    String unavailable = unavailableAgent(loaded);
    if (unavailable == null) {
      config = ((AgentEntity.Agent) loaded.reply()).config();
    }
    switch (loaded.purpose()) {
      case START -> {
        if (state.turn() != null || state.pending().isEmpty() || !state.agentOwns()) {
          return Effect().noReply();
        }
        if (unavailable != null) {
          return agentUnavailable(state, unavailable);
        }
        checkChannel(state);
        return Effect().noReply();
      }
      default -> {
        if (!isCurrent(state, loaded.turn(), Stage.THINKING)) {
          settle(state);
          return Effect().noReply();
        }
        if (unavailable != null) {
          return failTurn(state, unavailable);
        }
        reserve(state);
        return Effect().noReply();
      }
    }
  }

  private static String unavailableAgent(AgentLoaded loaded) {
    if (loaded.failure() != null) {
      return "the agent's configuration could not be read";
    }
    if (!(loaded.reply() instanceof AgentEntity.Agent agent)) {
      return "the agent does not exist";
    }
    return agent.status() == AgentEntity.Status.ACTIVE ? null : "the agent is " + agent.status().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** No agent to answer: the customer is told, people take over. */
  private ReplyEffect<SessionEvent, SessionState> agentUnavailable(SessionState state, String reason) {
    if (!state.agentOwns() || state.pending().isEmpty()) {
      return Effect().noReply();
    }
    Instant now = now();
    List<SessionEvent> events = List.of(
        new ReplyQueued(outboundId(state), OutboundKind.APOLOGY, SessionState.AGENT, APOLOGY, null, now),
        new HandedOff(TEAM, reason, now.plus(settings.handoffReminder()), now));
    return persist(events).thenRun(after -> {
      withContext(after, () -> log.warn("No agent answers the conversation: {}; handed to people", reason));
      afterHandOff(after);
      sendNext(after);
    }).thenNoReply();
  }

  // ---- the turn ----

  /** Before anything is reserved or the model runs: can a reply reach the contact at all? */
  private void checkChannel(SessionState state) {
    Profile profile = state.profile();
    stepInFlight = true;
    CompletionStage<Optional<String>> refusal;
    try {
      refusal = dependencies.channel()
          .refusal(profile.channel(), profile.orgId(), profile.agentId(), profile.contact(), state.lastInboundAt());
    } catch (RuntimeException e) {
      refusal = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    context.pipeToSelf(refusal,
        (answer, failure) -> new ChannelChecked(answer == null ? null : answer.orElse(null), failure));
  }

  private ReplyEffect<SessionEvent, SessionState> onChannelChecked(SessionState state, ChannelChecked checked) {
    stepInFlight = false;
    if (state.turn() != null || state.pending().isEmpty() || !state.agentOwns()) {
      return Effect().noReply();
    }
    if (checked.refusal() == null) {
      // Also when the channel could not tell (checked.failure()): the send decides then.
      return startTurn(state);
    }
    List<String> messageIds = state.pending().stream().map(Inbound::messageId).toList();
    return persist(new ReplyBlocked(messageIds, checked.refusal(), now()))
        .thenRun(after -> withContext(after, () -> log.warn(
            "No reply to {} message(s): {}; no model call, nothing charged", messageIds.size(), checked.refusal())))
        .thenNoReply();
  }

  private ReplyEffect<SessionEvent, SessionState> startTurn(SessionState state) {
    List<Inbound> taken = config.doubleTexting() == AgentConfig.DoubleTexting.QUEUE
        ? state.pending().subList(0, 1)
        : state.pending();
    int number = state.turns() + 1;
    long smsReply = SmsSegments.CHANNEL.equals(state.profile().channel()) ? dependencies.costs().smsSegment() : 0;
    // A conversation holding a lease runs its turns on it; otherwise the turn reserves under its own id.
    String reservationId = state.lease() != null ? state.lease().reservationId() : sessionId + ":" + number;
    TurnStarted started = new TurnStarted(
        number, reservationId, taken.stream().map(Inbound::messageId).toList(), estimate(config) + smsReply, now());
    SessionState withTurn = applied(state, List.of(started));
    unwritten.begin(started, withTurn);
    turnStartedAt = now();
    modelTime = Duration.ZERO;
    timers.cancel(LEASE_TIMER);
    if (leases.spendable(held, state.lease(), now())) {
      think(withTurn);
    } else {
      reserve(withTurn);
    }
    return Effect().noReply();
  }

  /** A reply, plus every enabled tool once (and one SMS on the SMS channel): commit later charges what the turn really cost. */
  private long estimate(AgentConfig agent) {
    long tools = agent.tools().stream().mapToLong(dependencies.costs()::toolCall).sum();
    return Math.max(1, dependencies.costs().aiReply() + tools);
  }

  private void reserve(SessionState state) {
    Turn turn = state.turn();
    Profile profile = state.profile();
    stepInFlight = true;
    if (reservingSince == null) {
      reservingSince = now();
    }
    context.pipeToSelf(
        AskPattern.ask(dependencies.orgs().apply(profile.orgId()),
            (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Reserve(
                turn.reservationId(), leases.amount(turn.estimate(), sms(state), turn.number()), leases.atLeast(turn.estimate(), sms(state)),
                sessionId, profile.agentId(), null, replyTo),
            dependencies.askTimeout(), context.getSystem().scheduler()),
        (reply, failure) -> new ReservationAnswered(turn.number(), reply, failure));
  }

  private ReplyEffect<SessionEvent, SessionState> onReservationAnswered(SessionState state, ReservationAnswered answered) {
    stepInFlight = false;
    Instant askedSince = reservingSince;
    reservingSince = null;
    if (!isCurrent(state, answered.turn(), Stage.THINKING)) {
      settle(state);
      return Effect().noReply();
    }
    Turn turn = state.turn();
    Instant now = now();
    if (answered.failure() != null && askedSince != null
        && Duration.between(askedSince, now).compareTo(settings.creditWait()) < 0) {
      // A busy organization answers late, not never: the turn waits (the reservation id makes asking again harmless).
      withContext(state, () -> log.info("Turn {}: no answer to its reservation yet ({}); asking again",
          turn.number(), answered.failure().getClass().getSimpleName()));
      reservingSince = askedSince;
      reserve(state);
      return Effect().noReply();
    }
    if (answered.reply() instanceof OrgEntity.Reserved reserved && !reserved.open() && CreditLeases.onTurn(state.lease(), turn)) {
      // The lease was committed without this conversation recording it: by its idle return, or by this very turn
      // before a crash. Asking for its charge tells which (more than the lease's recorded turns: this turn's too).
      returnLease(state, turn.number());
      return Effect().noReply();
    }
    if (answered.reply() instanceof OrgEntity.Reserved reserved) {
      held = CreditLeases.Held.of(reserved);
      dependencies.metrics().creditsReserved(turn.estimate());
      think(state);
      return Effect().noReply();
    }
    if (answered.reply() instanceof OrgEntity.CreditsHeld creditsHeld) {
      if (askedSince != null && Duration.between(askedSince, now).compareTo(settings.creditWait()) < 0) {
        // Other turns and leases hold what this turn needs; they settle or come back: the turn waits, then asks again.
        withContext(state, () -> log.info("Turn {}: {} credits available, {} held by other turns and leases; asking again",
            turn.number(), creditsHeld.available(), creditsHeld.held()));
        reservingSince = askedSince;
        timers.startSingleTimer(RESERVE_TIMER, new ReserveAgain(turn.number()), CREDITS_HELD_RETRY);
        return Effect().noReply();
      }
      return creditsRanOut(state, creditsHeld.available());
    }
    if (answered.reply() instanceof OrgEntity.Insufficient insufficient) {
      return creditsRanOut(state, insufficient.available());
    }
    if (answered.reply() instanceof OrgEntity.Released && CreditLeases.onTurn(state.lease(), turn)) {
      // The lease lapsed at the organization: its turns are charged late, then this turn reserves anew.
      returnLease(state, turn.number());
      return Effect().noReply();
    }
    if (answered.reply() instanceof OrgEntity.Released) {
      String renewed = sessionId + ":" + turn.number() + "/" + now.toEpochMilli();
      return persist(new ReservationRenewed(turn.number(), renewed, now))
          .thenRun(after -> {
            withContext(after, () -> log.info("Turn {} lapsed its reservation; reserving again as {}", turn.number(), renewed));
            reserve(after);
          })
          .thenNoReply();
    }
    return failTurn(state, answered.failure() != null
        ? "credits could not be reserved (" + answered.failure().getClass().getSimpleName() + ")"
        : "credits could not be reserved: " + answered.reply());
  }

  /** Too few credits: the unavailable message goes out, free. */
  private ReplyEffect<SessionEvent, SessionState> creditsRanOut(SessionState state, long available) {
    Turn turn = state.turn();
    Instant now = now();
    String text = config.unavailableMessage() == null || config.unavailableMessage().isBlank()
        ? UNAVAILABLE : config.unavailableMessage();
    return persist(List.of(
            new CreditsRanOut(turn.number(), turn.messageIds(), available, now),
            new ReplyQueued(outboundId(state), OutboundKind.UNAVAILABLE, SessionState.AGENT, text, null, now)))
        .thenRun(after -> {
          withContext(after, () -> log.warn("Turn {} found {} credits, {} needed: unavailable message sent",
              turn.number(), available, turn.estimate()));
          sendNext(after);
          startNextTurn(after);
        })
        .thenNoReply();
  }

  private void think(SessionState state) {
    Turn turn = state.turn();
    List<ModelRequest.ToolRound> rounds = turn.tools().stream()
        .map(tool -> new ModelRequest.ToolRound(
            new ModelReply.ToolCallRequest(tool.callId(), tool.name(), new LinkedHashMap<>(tool.arguments())), tool.result()))
        .toList();
    Duration limit = dependencies.responder().timeout().plus(dependencies.responder().queueAllowance()).plus(MODEL_SLACK);
    stepInFlight = true;
    thinkingSince = now();
    int call = ++modelCall;
    // the reply's text goes to a channel that shows it growing while it is written; a draft waits for a person first
    ReplyStream stream = config.autonomy() == AgentConfig.Autonomy.DRAFT ? ReplyStream.NONE
        : dependencies.channel().replyStream(state.profile().channel(), sessionId, turn.number() + "-" + call + "-" + Long.toString(incarnation, 36));
    context.pipeToSelf(
        Timeouts.within(context.getSystem().scheduler(), dependencies.responder().answer(config, state.window(turn), rounds, stream)
            .thenCompose(answer -> book(state, turn, answer).thenApply(bookings -> new Thought(answer, bookings)))
            .toCompletableFuture(), limit),
        (thought, failure) -> thought == null
            ? new ModelAnswered(turn.number(), call, null, Map.of(), failure)
            : new ModelAnswered(turn.number(), call, thought.answer(), thought.bookings(), failure));
  }

  /**
   * Books what the model's {@code book_appointment} calls ask for in the client's calendar, before
   * the answer comes back to the conversation, so the tool's result is known when it is recorded.
   * The key (conversation, turn, call) makes a repeated step the same booking. A call that waits
   * for a person's approval books nothing: the person arranges it.
   */
  private CompletionStage<Map<String, BookingOutcome>> book(SessionState state, Turn turn, AgentResponder.Answer answer) {
    List<ModelReply.ToolCallRequest> calls = answer.reply().toolCalls().stream()
        .filter(call -> call.name().equals(Tool.BOOK_APPOINTMENT.toolName()) && config.tools().contains(call.name())
            && !Tool.BOOK_APPOINTMENT.needsApproval(config.autonomy()))
        .toList();
    if (calls.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    Profile profile = state.profile();
    Map<String, CompletableFuture<BookingOutcome>> outcomes = new LinkedHashMap<>();
    for (ModelReply.ToolCallRequest call : calls) {
      Map<String, String> arguments = strings(call.arguments());
      String service = arguments.get("service");
      String requested = arguments.get("requested_time");
      BookingRequest request = new BookingRequest(sessionId + ":" + turn.number() + ":" + call.id(), sessionId, profile.agentId(),
          profile.channel(), profile.contact(), service, requested, "agent " + profile.agentId());
      outcomes.put(call.id(), dependencies.bookings().book(profile.orgId(), request)
          .handle((reply, failure) -> failure != null
              ? BookingOutcome.failed(failure.getClass().getSimpleName())
              : BookingOutcome.of(reply, now(), service, requested))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(outcomes.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, BookingOutcome> known = new LinkedHashMap<>();
      outcomes.forEach((callId, outcome) -> known.put(callId, outcome.join()));
      return known;
    });
  }

  private ReplyEffect<SessionEvent, SessionState> onModelAnswered(SessionState state, ModelAnswered answered) {
    if (answered.call() != modelCall) {
      return Effect().noReply(); // superseded by a restart: the newer call is still in flight
    }
    stepInFlight = false;
    recordModelCall(answered);
    if (!isCurrent(state, answered.turn(), Stage.THINKING)) {
      // People took over meanwhile: the answer is dropped and the cancelled turn's hold released.
      settle(state);
      return Effect().noReply();
    }
    if (answered.failure() != null && unwrap(answered.failure()) instanceof ModelFailure busy
        && busy.kind() == ModelFailure.Kind.BUSY) {
      // The node's model calls were busy with other organizations' turns: nothing was asked. The turn waits and goes on as
      // after a restart (its reservation confirmed, renewed if it lapsed meanwhile): answered later, in order, never dropped.
      withContext(state, () -> log.info("Turn {}: {}; asking the model again", state.turn().number(), busy.getMessage()));
      loadAgent(state, Purpose.RESUME, state.turn().number());
      return Effect().noReply();
    }
    if (answered.failure() != null) {
      return failTurn(state, describe(answered.failure()));
    }
    ModelReply reply = answered.answer().reply();
    if (!reply.toolCalls().isEmpty() && state.turn().tools().size() < settings.maxToolRounds()) {
      return runTools(state, answered.answer(), answered.bookings());
    }
    if (reply.text().isBlank()) {
      return failTurn(state, "the model gave an empty answer");
    }
    if (config.autonomy() == AgentConfig.Autonomy.DRAFT) {
      Approval draft = Approvals.draft(Approvals.nextId(sessionId, state.turn()), state.turn(), reply,
          answered.answer().includedDocumentIds(), now().plus(settings.approvalExpiry()));
      return requestApproval(state, draft);
    }
    return reply(state, reply.text(), answered.answer(), List.of());
  }

  /** Runs the calls the model asked for; a call that needs approval pauses the turn. */
  private ReplyEffect<SessionEvent, SessionState> runTools(SessionState state, AgentResponder.Answer answer, Map<String, BookingOutcome> bookings) {
    Turn turn = state.turn();
    Instant now = now();
    TurnTools.Outcome outcome = TurnTools.run(new TurnTools.Context(sessionId, turn.number(), turn.tools().size(),
        settings.maxToolRounds(), config, dependencies.costs(), bookings, Approvals.nextId(sessionId, turn),
        now.plus(settings.approvalExpiry()), now),
        answer.reply().toolCalls());
    if (outcome.approval() != null) {
      return requestApproval(state, outcome.approval(), outcome.events());
    }
    List<SessionEvent> events = new ArrayList<>(outcome.events());
    String handoffReason = outcome.handoffReason();
    events.addAll(stopsOnBooking(state, events, now));
    if (handoffReason != null) {
      String text = answer.reply().text().isBlank() ? HANDOFF_REPLY : answer.reply().text();
      SessionState withTools = applied(state, events);
      List<SessionEvent> all = new ArrayList<>(events);
      all.add(agentReplied(withTools, text, answer));
      all.add(new HandedOff(TEAM, handoffReason, now.plus(settings.handoffReminder()), now));
      return persist(all).thenRun(after -> {
        withContext(after, () -> log.info("The agent handed the conversation to people: {}", all.get(all.size() - 1)));
        afterHandOff(after);
        afterReply(after);
        outreachAfterTools(after, all);
      }).thenNoReply();
    }
    return persist(events).thenRun(after -> {
      cancelTimersOfGoneFollowups(state, after);
      scheduleFollowups(after);
      think(after);
      outreachAfterTools(after, events);
    }).thenNoReply();
  }

  private ReplyEffect<SessionEvent, SessionState> requestApproval(SessionState state, Approval approval) {
    return requestApproval(state, approval, List.of());
  }

  private ReplyEffect<SessionEvent, SessionState> requestApproval(SessionState state, Approval approval, List<SessionEvent> before) {
    List<SessionEvent> events = Approvals.requested(state.turn(), approval, before, outboundId(state), now());
    return persist(events).thenRun(after -> {
      withContext(after, () -> log.info("Turn {} waits for approval {} ({})", approval.turn(), approval.approvalId(), approval.kind()));
      scheduleFollowups(after);
      scheduleApproval(approval);
      sendNext(after);
    }).thenNoReply();
  }

  /**
   * Writes the turn's reply. Off SMS (whose segments are charged once the provider took the reply),
   * the organization charges the turn first and the reply is written settled: one event for the
   * turn. Should the charge get no clear answer, the reply is written unsettled and settled after.
   */
  private ReplyEffect<SessionEvent, SessionState> reply(
      SessionState state, String text, AgentResponder.Answer answer, List<SessionEvent> before) {
    AgentReplied replied = agentReplied(applied(state, before), text, answer);
    if (sms(state)) {
      List<SessionEvent> events = new ArrayList<>(before);
      events.add(replied);
      return persist(events).thenRun(this::afterReply).thenNoReply();
    }
    Turn turn = state.turn();
    Optional<Lease> kept = leases.keeping(held, state.lease(), turn, replied.breakdown(), false, now());
    if (kept.isPresent()) {
      List<SessionEvent> events = new ArrayList<>(before);
      events.add(replied.with(null, new TurnSettled(turn.number(), turn.messageIds(), replied.cost(), now(), kept.get())));
      return persist(events).thenRun(after -> answered(after, turn.number(), replied.cost())).thenNoReply();
    }
    CreditLeases.Closing closing = leases.closing(state.lease(), turn, replied.breakdown());
    stepInFlight = true;
    chargingReply = true;
    context.pipeToSelf(
        AskPattern.ask(dependencies.orgs().apply(state.profile().orgId()),
            (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Commit(turn.reservationId(), closing.total(), closing.breakdown(), null, replyTo),
            dependencies.askTimeout(), context.getSystem().scheduler()),
        (charged, failure) -> new ReplyCharged(turn.number(), List.copyOf(before), replied, charged, failure));
    return Effect().noReply();
  }

  private ReplyEffect<SessionEvent, SessionState> onReplyCharged(SessionState state, ReplyCharged charged) {
    chargingReply = false;
    stepInFlight = false;
    List<SessionEvent> events = new ArrayList<>(charged.events());
    if (!(charged.answer() instanceof OrgEntity.Committed committed)) {
      // Timed out, or refused: the reply goes out all the same, and its settlement takes the long way (retried, logged).
      events.add(charged.reply());
      return unstashingAll(persist(events).thenRun(this::afterReply));
    }
    Turn turn = state.turn();
    long turnsShare = leases.closing(state.lease(), turn, charged.reply().breakdown()).turnsShare(committed.charged());
    events.add(charged.reply().with(charged.reply().started(),
        new TurnSettled(turn.number(), turn.messageIds(), turnsShare, now())));
    return unstashingAll(persist(events).thenRun(after -> answered(after, turn.number(), turnsShare)));
  }

  /** The turn's reply and its charge are written: the reply goes out, the next turn may start. */
  private void answered(SessionState after, int turn, long charged) {
    if (turnStartedAt != null) {
      dependencies.metrics().turnAnswered(Duration.between(turnStartedAt, now()), modelTime);
    }
    dependencies.metrics().turnSettled("answered", charged);
    withContext(after, () -> log.info("Turn {} answered; {} credits charged{}", turn, charged,
        after.lease() != null ? " on the lease" : ""));
    keepLease(after);
    sendNext(after);
    startNextTurn(after);
  }

  private AgentReplied agentReplied(SessionState state, String text, AgentResponder.Answer answer) {
    ModelReply reply = answer == null ? null : answer.reply();
    return agentReplied(state, text, reply == null ? null : new Drafter(reply.provider(), reply.model(),
        reply.usage().inputTokens(), reply.usage().outputTokens(), answer.includedDocumentIds()));
  }

  /** The turn's reply, written by {@code drafter} (null when unknown). */
  private AgentReplied agentReplied(SessionState state, String text, Drafter drafter) {
    List<CostLine> breakdown = new ArrayList<>(state.turn().costs(dependencies.costs().aiReply()));
    if (SmsSegments.CHANNEL.equals(state.profile().channel())) {
      breakdown.add(new CostLine(SMS_SEGMENT, dependencies.costs().smsSegment() * SmsSegments.count(text)));
    }
    long cost = breakdown.stream().mapToLong(CostLine::credits).sum();
    return new AgentReplied(state.turn().number(), outboundId(state), text, cost, breakdown,
        drafter == null ? List.of() : drafter.documentIds(), drafter == null ? null : drafter.provider(),
        drafter == null ? null : drafter.model(), drafter == null ? 0 : drafter.inputTokens(),
        drafter == null ? 0 : drafter.outputTokens(), now());
  }

  private void recordModelCall(ModelAnswered answered) {
    if (thinkingSince == null) {
      return;
    }
    Duration latency = Duration.between(thinkingSince, now());
    modelTime = modelTime.plus(latency);
    thinkingSince = null;
    ModelReply reply = answered.answer() == null ? null : answered.answer().reply();
    dependencies.metrics().modelCall(config == null ? "unknown" : config.model().provider(), answered.failure() == null ? "ok" : "failed",
        latency, reply == null ? 0 : reply.usage().inputTokens(), reply == null ? 0 : reply.usage().outputTokens());
  }

  private void afterReply(SessionState state) {
    if (turnStartedAt != null) {
      dependencies.metrics().turnAnswered(Duration.between(turnStartedAt, now()), modelTime);
    }
    withContext(state, () -> log.info("Turn {} answered; settling {} credits", state.turn().number(), state.turn().settlement().cost()));
    settle(state);
    sendNext(state);
  }

  /** Fail-open: a polite message, the reservation released, the conversation handed to people. */
  private ReplyEffect<SessionEvent, SessionState> failTurn(SessionState state, String reason) {
    return failTurn(state, reason, List.of());
  }

  private ReplyEffect<SessionEvent, SessionState> failTurn(SessionState state, String reason, List<SessionEvent> before) {
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>(before);
    events.add(new TurnFailed(state.turn().number(), reason, now));
    events.add(new ReplyQueued(outboundId(state), OutboundKind.APOLOGY, SessionState.AGENT, APOLOGY, null, now));
    if (state.agentOwns()) {
      events.add(new HandedOff(TEAM, reason, now.plus(settings.handoffReminder()), now));
    }
    return persist(events).thenRun(after -> {
      withContext(after, () -> log.warn("Turn {} failed: {}; apology sent, handed to people", state.turn().number(), reason));
      afterHandOff(after);
      settle(after);
      sendNext(after);
    }).thenNoReply();
  }

  private void settle(SessionState state) {
    Turn turn = state.turn();
    if (turn == null || turn.stage() != Stage.SETTLING || stepInFlight) {
      return;
    }
    Settlement settlement = turn.settlement();
    List<CostLine> breakdown = settlement.breakdown();
    if (settlement.commit() && breakdown.stream().anyMatch(line -> SMS_SEGMENT.equals(line.item()))) {
      Optional<Outbound> reply = state.outbox().stream()
          .filter(outbound -> outbound.kind() == OutboundKind.AGENT_REPLY).reduce((first, second) -> second);
      if (reply.isPresent() && reply.get().status() == DeliveryStatus.QUEUED) {
        return; // SMS segments are charged once the provider took the reply: settled when the send has an outcome
      }
      if (reply.isPresent() && reply.get().status() == DeliveryStatus.FAILED) {
        breakdown = breakdown.stream().filter(line -> !SMS_SEGMENT.equals(line.item())).toList();
      }
    }
    stepInFlight = true;
    boolean onLease = settlement.commit()
        ? leases.keeping(held, state.lease(), turn, breakdown, sms(state), now()).isPresent()
        : CreditLeases.onTurn(state.lease(), turn);
    if (onLease) {
      context.getSelf().tell(new SettleOnLease(turn.number()));
      return;
    }
    CreditLeases.Closing closing = leases.closing(state.lease(), turn, breakdown);
    RecipientRef<OrgEntity.Command> org = dependencies.orgs().apply(state.profile().orgId());
    CompletionStage<OrgEntity.Reply> answer = settlement.commit()
        ? AskPattern.ask(org, (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Commit(
            turn.reservationId(), closing.total(), closing.breakdown(), null, replyTo),
            dependencies.askTimeout(), context.getSystem().scheduler())
        : AskPattern.ask(org, (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Release(turn.reservationId(), null, replyTo),
            dependencies.askTimeout(), context.getSystem().scheduler());
    context.pipeToSelf(answer, (reply, failure) -> new SettlementAnswered(turn.number(), reply, failure));
  }

  private ReplyEffect<SessionEvent, SessionState> onSettlementAnswered(SessionState state, SettlementAnswered answered) {
    stepInFlight = false;
    if (!isCurrent(state, answered.turn(), Stage.SETTLING)) {
      return Effect().noReply();
    }
    Turn turn = state.turn();
    long charged;
    if (answered.reply() instanceof OrgEntity.Committed committed) {
      charged = leases.closing(state.lease(), turn, turn.settlement().breakdown()).turnsShare(committed.charged());
    } else if (answered.reply() instanceof OrgEntity.Released) {
      charged = 0;
    } else if (answered.reply() instanceof OrgEntity.Rejected rejected) {
      // The organization no longer knows the reservation (settled long ago) or refuses the cost:
      // retrying cannot change that, and charging without a hold could charge twice.
      if (turn.settlement().commit()) {
        withContext(state, () -> log.error("Turn {} could not be charged ({}: {}); settled without a charge",
            turn.number(), rejected.reason(), rejected.message()));
      }
      charged = 0;
    } else {
      settleAttempts++;
      Duration delay = backoff(settleAttempts, null);
      withContext(state, () -> log.warn("Turn {} could not be settled ({}); trying again in {}", turn.number(),
          answered.failure() != null ? answered.failure().getClass().getSimpleName() : answered.reply(), delay));
      timers.startSingleTimer("settle", new SettleAgain(turn.number()), delay);
      return Effect().noReply();
    }
    settleAttempts = 0;
    dependencies.metrics().turnSettled(turn.settlement().commit() ? "answered" : "released", charged);
    return persist(new TurnSettled(turn.number(), turn.messageIds(), charged, now()))
        .thenRun(this::startNextTurn)
        .thenNoReply();
  }

  /** The turn settles on the lease: charged there when it answered, nothing when it failed or was cancelled. */
  private ReplyEffect<SessionEvent, SessionState> onSettleOnLease(SessionState state, SettleOnLease command) {
    stepInFlight = false;
    if (!isCurrent(state, command.turn(), Stage.SETTLING)) {
      return Effect().noReply();
    }
    Turn turn = state.turn();
    Settlement settlement = turn.settlement();
    Optional<Lease> kept = settlement.commit()
        ? leases.keeping(held, state.lease(), turn, settlement.breakdown(), sms(state), now())
        : Optional.ofNullable(state.lease());
    if (kept.isEmpty()) {
      settle(state); // too late for the lease meanwhile: the turn commits it
      return Effect().noReply();
    }
    long charged = settlement.commit() ? settlement.cost() : 0;
    dependencies.metrics().turnSettled(settlement.commit() ? "answered" : "released", charged);
    return persist(new TurnSettled(turn.number(), turn.messageIds(), charged, now(), kept.get()))
        .thenRun(after -> {
          keepLease(after);
          startNextTurn(after);
        })
        .thenNoReply();
  }

  // ---- the lease ----

  /** The conversation holds a lease: it goes back once the conversation has been idle for a while. */
  private void keepLease(SessionState state) {
    if (state.lease() != null && state.turn() == null) {
      leaseReturnAttempts = 0;
      timers.startSingleTimer(LEASE_TIMER, new LeaseIdle(null), leases.returnAfter());
    }
  }

  /**
   * Gives the lease back: the organization is charged what its turns cost and takes the rest
   * back. {@code renewTurn}: the turn in flight found the lease lapsed and reserves anew afterwards.
   */
  private void returnLease(SessionState state, Integer renewTurn) {
    Lease lease = state.lease();
    if (lease == null) {
      return;
    }
    stepInFlight = true;
    returningLease = true;
    timers.cancel(LEASE_TIMER);
    RecipientRef<OrgEntity.Command> org = dependencies.orgs().apply(state.profile().orgId());
    CompletionStage<OrgEntity.Reply> answer = lease.spent() > 0
        ? AskPattern.ask(org, (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Commit(
            lease.reservationId(), lease.spent(), lease.breakdown(), null, replyTo),
            dependencies.askTimeout(), context.getSystem().scheduler())
        : AskPattern.ask(org, (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Release(lease.reservationId(), null, replyTo),
            dependencies.askTimeout(), context.getSystem().scheduler());
    context.pipeToSelf(answer, (reply, failure) -> new LeaseAnswered(lease.reservationId(), renewTurn, reply, failure));
  }

  private ReplyEffect<SessionEvent, SessionState> onLeaseAnswered(SessionState state, LeaseAnswered answered) {
    stepInFlight = false;
    returningLease = false;
    Lease lease = state.lease();
    if (lease == null || !lease.reservationId().equals(answered.reservationId())) {
      return Effect().noReply();
    }
    long charged;
    if (answered.reply() instanceof OrgEntity.Committed committed) {
      charged = committed.charged();
    } else if (answered.reply() instanceof OrgEntity.Released || answered.reply() instanceof OrgEntity.Rejected) {
      if (answered.reply() instanceof OrgEntity.Rejected rejected && lease.spent() > 0) {
        withContext(state, () -> log.error("Lease {} could not be charged {} credits ({}: {}); returned without a charge",
            lease.reservationId(), lease.spent(), rejected.reason(), rejected.message()));
      }
      charged = 0;
    } else if (stopping) {
      // The next incarnation returns it (it recovers holding the lease); a send in flight still stops first.
      return sending == null ? Effect().stop().thenNoReply() : Effect().noReply();
    } else {
      // Maybe committed, maybe not: no turn spends from it until the organization says it is still open.
      held = null;
      Duration delay = backoff(++leaseReturnAttempts, null);
      withContext(state, () -> log.warn("Lease {} could not be returned ({}); trying again in {}", lease.reservationId(),
          answered.failure() != null ? answered.failure().getClass().getSimpleName() : answered.reply(), delay));
      timers.startSingleTimer(LEASE_TIMER, new LeaseIdle(answered.renewTurn()), delay);
      return Effect().noReply();
    }
    leaseReturnAttempts = 0;
    boolean renew = answered.renewTurn() != null && isCurrent(state, answered.renewTurn(), Stage.THINKING);
    if (renew && charged > lease.spent()) {
      // The organization charged more than the lease's recorded turns: this turn closed the lease before a crash.
      // It goes on; committing again, it learns its share of that charge.
      held = new CreditLeases.Held(lease.reservationId(), 0, lease.expiresAt(), false);
      think(state);
      return Effect().noReply();
    }
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>();
    events.add(new LeaseReturned(lease.reservationId(), lease.spent(), charged, now));
    String renewed = renew ? sessionId + ":" + answered.renewTurn() + "/" + now.toEpochMilli() : null;
    if (renew) {
      events.add(new ReservationRenewed(answered.renewTurn(), renewed, now));
    }
    return persist(events)
        .thenRun(after -> {
          withContext(after, () -> log.info("Lease {} returned; {} of {} credits charged{}", lease.reservationId(), charged,
              lease.spent(), renew ? "; the turn reserves again as " + renewed : ""));
          if (renew) {
            reserve(after);
          } else if (stopping) {
            context.getSelf().tell(Stop.INSTANCE);
          } else {
            startNextTurn(after);
          }
        })
        .thenNoReply();
  }

  private boolean nodeStopping() {
    return org.apache.pekko.actor.CoordinatedShutdown.get(context.getSystem()).getShutdownReason().isPresent();
  }

  private static boolean sms(SessionState state) {
    return SmsSegments.CHANNEL.equals(state.profile().channel());
  }

  /** Messages that arrived during the turn have waited already: their turn starts at once. */
  private void startNextTurn(SessionState state) {
    if (state.turn() == null && !state.pending().isEmpty() && state.agentOwns()) {
      context.getSelf().tell(new StartTurn());
    }
  }

  // ---- approvals ----

  private ReplyEffect<SessionEvent, SessionState> onDecide(SessionState state, Decide command) {
    if (command.decidedBy() == null || command.decidedBy().isBlank()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "decidedBy must name who decided"));
    }
    Optional<Approval> approval = Approvals.pending(state, command.approvalId());
    if (approval.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.NOT_FOUND, "no pending approval " + command.approvalId()));
    }
    return decide(state, approval.get(), command.approve(), command.decidedBy().strip(), false)
        .thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  private ReplyEffect<SessionEvent, SessionState> onApprovalDue(SessionState state, ApprovalDue due) {
    return switch (Approvals.due(state, due.approvalId(), now())) {
      case GONE -> Effect().noReply();
      case NOT_YET -> {
        scheduleApproval(state.approval(due.approvalId()).orElseThrow());
        yield Effect().noReply();
      }
      case UNREVIEWED -> failTurn(state, "nobody approved the agent's draft in time",
          List.of(new ApprovalDecided(due.approvalId(), false, "expiry", true, now())));
      case REFUSED -> decide(state, state.approval(due.approvalId()).orElseThrow(), false, "expiry", true).thenNoReply();
    };
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<SessionEvent, SessionState> decide(
      SessionState state, Approval approval, boolean approved, String decidedBy, boolean expired) {
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>(Approvals.decided(state, approval, approved, decidedBy, expired,
        dependencies.costs(), now, decided -> agentReplied(decided, approval.draft(), approval.drafter())));
    events.addAll(stopsOnBooking(state, events, now));
    return persist(events).thenRun(after -> {
      timers.cancel(approvalTimer(approval.approvalId()));
      cancelTimersOfGoneFollowups(state, after);
      outreachAfterTools(after, events);
      withContext(after, () -> log.info("Approval {} {} by {}", approval.approvalId(), approved ? "approved" : "rejected", decidedBy));
      if (after.turn().stage() == Stage.SETTLING) {
        afterReply(after);
      } else {
        // The pause may have outlived the reservation: the turn goes on only with credits held again.
        loadAgent(after, Purpose.RESUME, after.turn().number());
      }
    });
  }

  // ---- people ----

  private ReplyEffect<SessionEvent, SessionState> onSendAsHuman(SessionState state, SendAsHuman command) {
    String problem = blank(command.text()) || command.text().length() > InboundMessage.MAX_TEXT
        ? "author (at most 128 characters) and text (at most " + InboundMessage.MAX_TEXT + ") are required" : null;
    return sendAsPerson(state, command.author(), command.text(), null, problem, "a person replied", command.replyTo());
  }

  private ReplyEffect<SessionEvent, SessionState> onSendTemplate(SessionState state, SendTemplate command) {
    String problem = command.template() == null ? "a template is required" : command.template().problem();
    return sendAsPerson(state, command.author(), command.template() == null ? null : command.template().describe(),
        command.template(), problem, "a person sent a template", command.replyTo());
  }

  private ReplyEffect<SessionEvent, SessionState> onReachOut(SessionState state, ReachOut command) {
    if (state.started()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.CONFLICT,
          "a conversation with this contact exists already (" + sessionId + "): send the template into it"));
    }
    String problem = command.template() == null ? "a template is required" : command.template().problem();
    if (problem != null || blank(command.author()) || command.author().length() > 128 || command.profile() == null
        || !sessionId.equals(command.profile().sessionId())) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID,
          problem != null ? problem : "author (at most 128 characters) and the conversation's profile are required"));
    }
    Instant now = now();
    String outboundId = outboundId(state);
    return persist(List.of(new ConversationStarted(command.profile(), now, windows),
            new ReplyQueued(outboundId, OutboundKind.HUMAN, command.author().strip(), command.template().describe(), command.template(),
                now)))
        .thenRun(this::sendNext)
        .thenReply(command.replyTo(), after -> new Done(sessionId, outboundId));
  }

  /** A person's message (free text, or a template): they take the conversation over and it goes out. */
  private ReplyEffect<SessionEvent, SessionState> sendAsPerson(
      SessionState state, String rawAuthor, String text, MessageTemplate template, String problem, String takeoverReason,
      ActorRef<SessionReply> replyTo) {
    if (!state.started()) {
      return Effect().reply(replyTo, notFound());
    }
    if (problem != null || blank(rawAuthor) || rawAuthor.length() > 128) {
      return Effect().reply(replyTo, new Rejected(Reason.INVALID,
          problem != null ? problem : "author is required (at most 128 characters)"));
    }
    Instant now = now();
    Optional<Rejected> refused = PersonMessages.refusal(state, template, now);
    if (refused.isPresent()) {
      return Effect().reply(replyTo, refused.get());
    }
    String author = rawAuthor.strip();
    List<SessionEvent> events = new ArrayList<>();
    if (state.status() == Status.ACTIVE) {
      cancelTurn(state, "a person took over", events);
      events.add(new HandedOff(author, takeoverReason, null, now));
    }
    String outboundId = outboundId(state);
    events.add(new ReplyQueued(outboundId, OutboundKind.HUMAN, author, text, template, now));
    return persist(events).thenRun(after -> {
      timers.cancel("reminder");
      settle(after);
      sendNext(after);
    }).thenReply(replyTo, after -> new Done(sessionId, outboundId));
  }

  private ReplyEffect<SessionEvent, SessionState> onHandOff(SessionState state, HandOff command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    if (blank(command.by())) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "by must name who takes over"));
    }
    if (state.status() == Status.CLOSED) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.CONFLICT, "the conversation is closed"));
    }
    if (state.status() == Status.HANDED_OFF) {
      return Effect().reply(command.replyTo(), new Done(sessionId, null));
    }
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>();
    cancelTurn(state, "handed to " + command.by().strip(), events);
    events.add(new HandedOff(command.by().strip(), command.reason() == null ? "handed off" : command.reason(),
        now.plus(settings.handoffReminder()), now));
    return persist(events).thenRun(after -> {
      afterHandOff(after);
      settle(after);
    }).thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  private ReplyEffect<SessionEvent, SessionState> onHandBack(SessionState state, HandBack command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    if (state.status() == Status.CLOSED) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.CONFLICT, "the conversation is closed; reopen it"));
    }
    if (state.status() == Status.ACTIVE) {
      return Effect().reply(command.replyTo(), new Done(sessionId, null));
    }
    return persist(new HandedBack(blank(command.by()) ? TEAM : command.by().strip(), now()))
        .thenRun(after -> timers.cancel("reminder"))
        .thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  private ReplyEffect<SessionEvent, SessionState> onClose(SessionState state, Close command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    if (state.status() == Status.CLOSED) {
      return Effect().reply(command.replyTo(), new Done(sessionId, null));
    }
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>();
    if (command.outcome() != null && !Close.SUCCESS.equals(command.outcome())) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "outcome is \"success\" or left out"));
    }
    cancelTurn(state, "the conversation was closed", events);
    // a review request stays: it follows what was done, not the conversation
    state.followups().stream().filter(followup -> !followup.reminder() && !Followup.REVIEW.equals(followup.purpose()))
        .forEach(followup -> events.addAll(cancelled(followup, "the conversation was closed", now)));
    events.add(new Closed(blank(command.by()) ? TEAM : command.by().strip(), command.outcome(), now));
    boolean success = Close.SUCCESS.equals(command.outcome());
    Occasion occasion = state.bookedAt() != null ? (success ? Occasion.CLOSED_SUCCESS : null)
        : success ? Occasion.CLOSED_UNBOOKED_SUCCESS : Occasion.CLOSED_UNBOOKED;
    return persist(events).thenRun(after -> {
      timers.cancel("reminder");
      cancelTimersOfGoneFollowups(state, after);
      settle(after);
      if (occasion != null) {
        lookForOutreach(after, occasion, null, command.by(), null);
      }
    }).thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  private ReplyEffect<SessionEvent, SessionState> onReopen(SessionState state, Reopen command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    if (state.status() != Status.CLOSED) {
      return Effect().reply(command.replyTo(), new Done(sessionId, null));
    }
    return persist(new Reopened(blank(command.by()) ? TEAM : command.by().strip(), now()))
        .thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  /** A turn that has no outcome yet gives way to people; one that has (settling) finishes. */
  private void cancelTurn(SessionState state, String reason, List<SessionEvent> events) {
    Turn turn = state.turn();
    if (turn != null && turn.stage() != Stage.SETTLING) {
      events.add(new TurnCancelled(turn.number(), reason, now()));
    }
  }

  private void afterHandOff(SessionState state) {
    if (state.remindAt() != null) {
      timers.startSingleTimer("reminder", new ReminderDue(), untilNow(state.remindAt()));
    }
  }

  private ReplyEffect<SessionEvent, SessionState> onReminderDue(SessionState state, ReminderDue due) {
    if (state.status() != Status.HANDED_OFF || state.remindAt() == null) {
      return Effect().noReply();
    }
    if (state.remindAt().isAfter(now())) {
      afterHandOff(state);
      return Effect().noReply();
    }
    return persist(new OwnerReminded(now()))
        .thenRun(after -> withContext(after, () -> log.warn("Handed-off conversation still waits for a person; organization reminded")))
        .thenNoReply();
  }

  // ---- follow-ups ----

  private void scheduleFollowups(SessionState state) {
    for (Followup followup : state.followups()) {
      if (!timers.isTimerActive(followupTimer(followup.followupId()))) {
        timers.startSingleTimer(followupTimer(followup.followupId()), new FollowupDue(followup.followupId()), untilNow(followup.dueAt()));
      }
    }
  }

  private ReplyEffect<SessionEvent, SessionState> onArrangeReminder(SessionState state, ArrangeReminder command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    Instant now = now();
    String prefix = BookingOutcome.reminderPrefix(command.bookingId());
    List<SessionEvent> events = new ArrayList<>();
    List<Followup> replaced = state.followups().stream().filter(followup -> followup.followupId().startsWith(prefix)).toList();
    String next = command.dueAt() == null ? null : prefix + command.dueAt().toEpochMilli();
    replaced.stream().filter(followup -> !followup.followupId().equals(next))
        .forEach(followup -> events.add(new FollowupCancelled(followup.followupId(), "the appointment changed", now)));
    if (next != null && replaced.stream().noneMatch(followup -> followup.followupId().equals(next)) && command.dueAt().isAfter(now)
        && !blank(command.text())) {
      events.add(new FollowupScheduled(next, command.dueAt(), command.text().strip(), now, Followup.REMINDER));
    }
    if (events.isEmpty()) {
      return Effect().reply(command.replyTo(), new Done(sessionId, null));
    }
    return persist(events).thenRun(after -> {
      replaced.forEach(followup -> timers.cancel(followupTimer(followup.followupId())));
      scheduleFollowups(after);
    }).thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  private ReplyEffect<SessionEvent, SessionState> onFollowupDue(SessionState state, FollowupDue due) {
    Optional<Followup> followup = state.followup(due.followupId());
    if (followup.isEmpty()) {
      return Effect().noReply();
    }
    Instant now = now();
    if (followup.get().dueAt().isAfter(now)) {
      scheduleFollowups(state);
      return Effect().noReply();
    }
    Optional<String> dropped = whyNotSent(state, followup.get());
    if (dropped.isPresent()) {
      return persist(cancelled(followup.get(), dropped.get(), now)).thenNoReply();
    }
    SequenceRun run = followup.get().sequence();
    if (run != null && run.current().onlyIfNoReply() && state.lastInboundAt() != null && state.lastInboundAt().isAfter(run.startedAt())) {
      List<SessionEvent> events = new ArrayList<>();
      events.add(new FollowupCancelled(due.followupId(), "skipped: the customer wrote since the sequence started", now));
      events.addAll(nextStep(run, now));
      return persist(events).thenRun(this::scheduleFollowups).thenNoReply();
    }
    // the organization's quiet hours and closed-window templates decide how it goes: read them first
    context.pipeToSelf(dependencies.outreach().of(state.profile().orgId()),
        (settings, failure) -> new FollowupPlanned(due.followupId(), settings, failure));
    return Effect().noReply();
  }

  private ReplyEffect<SessionEvent, SessionState> onFollowupPlanned(SessionState state, FollowupPlanned planned) {
    Optional<Followup> found = state.followup(planned.followupId());
    if (found.isEmpty()) {
      return Effect().noReply();
    }
    Followup followup = found.get();
    Instant now = now();
    OutreachSteps.Plan plan = OutreachSteps.plan(state, followup, planned.failure() == null ? planned.settings() : null, now);
    if (plan instanceof OutreachSteps.Retry) {
      log.warn("Outreach settings of org {} unreadable; follow-up {} tried again in {}", state.profile().orgId(), followup.followupId(),
          OUTREACH_RETRY, planned.failure());
      timers.startSingleTimer(followupTimer(followup.followupId()), new FollowupDue(followup.followupId()), OUTREACH_RETRY);
      return Effect().noReply();
    }
    if (plan instanceof OutreachSteps.Drop drop) {
      return persist(cancelled(followup, drop.reason(), now)).thenNoReply();
    }
    if (plan instanceof OutreachSteps.Moved moved) {
      return persist(moved.events()).thenRun(this::scheduleFollowups).thenNoReply();
    }
    if (plan instanceof OutreachSteps.Charge charge) {
      return prepare(state, followup, charge.text(), charge.template(), charge.review());
    }
    MessageTemplate template = ((OutreachSteps.Queue) plan).template();
    String outboundId = outboundId(state);
    return persist(List.of(
            new ReplyQueued(outboundId, OutboundKind.FOLLOWUP, SessionState.AGENT, template == null ? followup.text() : template.describe(),
                template, now),
            new FollowupSent(followup.followupId(), outboundId, now)))
        .thenRun(this::sendNext)
        .thenNoReply();
  }

  // ---- outreach: sequences and review requests ----

  /**
   * A sequence's step or a review request is about to go: the review request claims its tracked
   * link (once per customer per period), then the organization is charged the catalog's outreach
   * message. Every other command waits meanwhile, so nothing can cancel a message that is paid for;
   * a restart in between charges the same reservation again, which the organization answers as done.
   */
  private ReplyEffect<SessionEvent, SessionState> prepare(SessionState state, Followup followup, String text,
      OutreachSettings.TemplateChoice choice, OutreachSettings.ReviewRequests review) {
    Profile profile = state.profile();
    CompletionStage<Optional<String>> link = review == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : dependencies.outreach().claimReview(new OutreachPolicy.ReviewClaim(sessionId + ":" + followup.originalId(), profile.orgId(),
            profile.agentId(), sessionId, profile.channel(), profile.contact(), review.link(), review.periodDays(), now()));
    long credits = dependencies.costs().outreachMessage();
    String reservationId = "outreach:" + sessionId + ":" + followup.originalId();
    preparingFollowup = followup.followupId();
    CompletionStage<FollowupReady> ready = link.thenCompose(found -> review != null && found.isEmpty() || credits == 0
        ? CompletableFuture.completedFuture(new FollowupReady(followup.followupId(), text, templateFor(choice), found, null, 0, null))
        : charge(profile, reservationId, credits)
            .thenApply(charge -> new FollowupReady(followup.followupId(), text, templateFor(choice), found, charge, credits, null)));
    context.pipeToSelf(Timeouts.within(context.getSystem().scheduler(), ready.toCompletableFuture(), dependencies.askTimeout().multipliedBy(3)),
        (done, failure) -> done != null ? done
            : new FollowupReady(followup.followupId(), text, null, Optional.empty(), null, 0, failure));
    return Effect().noReply();
  }

  /** The template as chosen; its one parameter (when it takes the text) is filled in once the text is final. */
  private static MessageTemplate templateFor(OutreachSettings.TemplateChoice choice) {
    return choice == null ? null : new MessageTemplate(choice.name(), choice.language(), choice.takesText() ? List.of("") : List.of());
  }

  /** Holds then spends {@code credits} under {@code reservationId}; a reservation already spent answers as spent. */
  private CompletionStage<OrgEntity.Reply> charge(Profile profile, String reservationId, long credits) {
    RecipientRef<OrgEntity.Command> org = dependencies.orgs().apply(profile.orgId());
    return AskPattern.ask(org, (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Reserve(reservationId, credits, sessionId,
            profile.agentId(), null, replyTo), dependencies.askTimeout(), context.getSystem().scheduler())
        .thenCompose(held -> held instanceof OrgEntity.Reserved || held instanceof OrgEntity.Released
            // held now, spent before, or lapsed while a crashed incarnation was away (the organization settles it late)
            ? AskPattern.ask(org, (ActorRef<OrgEntity.Reply> replyTo) -> new OrgEntity.Commit(reservationId, credits,
                List.of(new CostLine(OUTREACH_MESSAGE, credits)), null, replyTo), dependencies.askTimeout(), context.getSystem().scheduler())
            : CompletableFuture.completedFuture(held));
  }

  private ReplyEffect<SessionEvent, SessionState> onFollowupReady(SessionState state, FollowupReady ready) {
    preparingFollowup = null;
    Optional<Followup> found = state.followup(ready.followupId());
    if (found.isEmpty()) {
      return unstashingAll(Effect().none());
    }
    Followup followup = found.get();
    Instant now = now();
    if (ready.failure() != null) {
      withContext(state, () -> log.warn("Outreach message {} not ready ({}); tried again in {}", followup.followupId(),
          describe(ready.failure()), OUTREACH_RETRY));
      timers.startSingleTimer(followupTimer(followup.followupId()), new FollowupDue(followup.followupId()), OUTREACH_RETRY);
      return unstashingAll(Effect().none());
    }
    boolean reviewRequest = Followup.REVIEW.equals(followup.purpose());
    if (reviewRequest && ready.reviewLink().isEmpty()) {
      return unstashingAll(persist(cancelled(followup, "this customer was asked for a review within the period already", now)));
    }
    long charged = 0;
    if (ready.charge() instanceof OrgEntity.Committed committed) {
      charged = committed.charged();
    } else if (ready.charge() instanceof OrgEntity.CreditsHeld) {
      timers.startSingleTimer(followupTimer(followup.followupId()), new FollowupDue(followup.followupId()), OUTREACH_RETRY);
      return unstashingAll(Effect().none());
    } else if (ready.charge() != null) {
      return unstashingAll(persist(cancelled(followup, ready.charge() instanceof OrgEntity.Insufficient
          ? "no credits left for it" : "the organization refused its charge: " + ready.charge(), now)));
    }
    String text = reviewRequest ? OutreachSettings.ReviewRequests.withLink(ready.text(), ready.reviewLink().get()) : ready.text();
    MessageTemplate template = ready.template() == null ? null : new MessageTemplate(ready.template().name(),
        ready.template().language(), ready.template().parameters().isEmpty() ? List.of() : List.of(text));
    String outboundId = outboundId(state);
    List<SessionEvent> events = new ArrayList<>();
    events.add(new ReplyQueued(outboundId, OutboundKind.FOLLOWUP, SessionState.AGENT, template == null ? text : template.describe(),
        template, now));
    events.add(new FollowupSent(followup.followupId(), outboundId, charged, now));
    if (followup.sequence() != null) {
      events.addAll(nextStep(followup.sequence(), now));
    }
    return unstashingAll(persist(events).thenRun(after -> {
      scheduleFollowups(after);
      sendNext(after);
    }));
  }

  private void cancelTimersOfGoneFollowups(SessionState before, SessionState after) {
    if (before.followups() == after.followups()) {
      return; // events that leave the follow-ups alone keep the very list
    }
    before.followups().stream().filter(followup -> after.followup(followup.followupId()).isEmpty())
        .forEach(followup -> timers.cancel(followupTimer(followup.followupId())));
  }

  /** What the tools that ran start: sequences after a lead or a booking, the sequence the agent named, a review request. */
  private void outreachAfterTools(SessionState after, List<SessionEvent> events) {
    for (SessionEvent event : events) {
      if (!(event instanceof ToolRan ran) || !ran.done()) {
        continue;
      }
      if (Tool.CAPTURE_LEAD.toolName().equals(ran.name())) {
        lookForOutreach(after, Occasion.LEAD, null, SessionState.AGENT, null);
      } else if (Tool.BOOK_APPOINTMENT.toolName().equals(ran.name())) {
        lookForOutreach(after, Occasion.BOOKED, null, SessionState.AGENT, null);
      } else if (Tool.START_SEQUENCE.toolName().equals(ran.name())) {
        lookForOutreach(after, Occasion.NAMED, ran.arguments().get("name").strip(), SessionState.AGENT, null);
      }
    }
  }

  /** Reads what {@code occasion} needs (the agent's sequences, the review settings) and comes back as {@link OutreachLooked}. */
  private void lookForOutreach(SessionState state, Occasion occasion, String wanted, String by, ActorRef<SessionReply> replyTo) {
    Profile profile = state.profile();
    CompletionStage<OutreachSettings> settings = occasion.review
        ? dependencies.outreach().of(profile.orgId()) : CompletableFuture.completedFuture(OutreachSettings.NONE);
    CompletionStage<List<FollowupSequence>> sequences = occasion.trigger != null || wanted != null
        ? dependencies.outreach().sequences(profile.orgId(), profile.agentId()) : CompletableFuture.completedFuture(List.of());
    context.pipeToSelf(settings.thenCombine(sequences, (found, defined) -> new OutreachLooked(occasion, wanted, by, found, defined, null, replyTo)),
        (looked, failure) -> looked != null ? looked : new OutreachLooked(occasion, wanted, by, null, List.of(), failure, replyTo));
  }

  private ReplyEffect<SessionEvent, SessionState> onStartSequence(SessionState state, StartSequence command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    if (state.optedOut()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.OPTED_OUT, "the contact opted out of messages"));
    }
    lookForOutreach(state, Occasion.NAMED, command.name(), blank(command.by()) ? TEAM : command.by().strip(), command.replyTo());
    return Effect().noReply();
  }

  private ReplyEffect<SessionEvent, SessionState> onOutreachLooked(SessionState state, OutreachLooked looked) {
    if (looked.failure() != null) {
      withContext(state, () -> log.warn("Outreach for {} could not be read: {}", looked.occasion(), describe(looked.failure())));
      return looked.replyTo() == null ? Effect().noReply()
          : Effect().reply(looked.replyTo(), new Rejected(Reason.CONFLICT, "the sequences could not be read; try again"));
    }
    Instant now = now();
    OutreachSteps.Starts starts = OutreachSteps.starts(state, looked.occasion(), looked.wanted(), looked.by(), looked.settings(),
        looked.sequences(), now);
    List<SessionEvent> events = new ArrayList<>(starts.events());
    if (starts.refused() != null) {
      if (looked.replyTo() != null) {
        return Effect().reply(looked.replyTo(), starts.refused());
      }
      events.add(new SequenceRefused(looked.wanted(), looked.by(), starts.refused().message(), now));
    }
    if (events.isEmpty()) {
      return looked.replyTo() == null ? Effect().noReply() : Effect().reply(looked.replyTo(), new Done(sessionId, null));
    }
    org.apache.pekko.persistence.typed.javadsl.EffectBuilder<SessionEvent, SessionState> written = persist(events).thenRun(after -> {
      scheduleFollowups(after);
      withContext(after, () -> log.info("Outreach for {}: {}", looked.occasion(), events));
    });
    return looked.replyTo() == null ? written.thenNoReply() : written.thenReply(looked.replyTo(), after -> new Done(sessionId, null));
  }

  private ReplyEffect<SessionEvent, SessionState> onStopSequence(SessionState state, StopSequence command) {
    List<Followup> steps = state.sequenceSteps().stream().filter(step -> step.sequence().name().equals(command.name())).toList();
    if (steps.isEmpty()) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.NOT_FOUND, "no sequence " + command.name() + " is under way here"));
    }
    Instant now = now();
    List<SessionEvent> events = new ArrayList<>();
    steps.forEach(step -> events.addAll(cancelled(step, "stopped by " + (blank(command.by()) ? TEAM : command.by().strip()), now)));
    return persist(events)
        .thenRun(after -> cancelTimersOfGoneFollowups(state, after))
        .thenReply(command.replyTo(), after -> new Done(sessionId, null));
  }

  // ---- outbound ----

  /** One message at a time, in order: the next goes once the channel took or refused the previous one. */
  private void sendNext(SessionState state) {
    if (stopping) {
      context.getSelf().tell(Stop.INSTANCE);
      return;
    }
    if (sending != null || timers.isTimerActive("send-again") || !state.started()) {
      return;
    }
    Optional<Outbound> next = state.nextToSend();
    if (next.isEmpty()) {
      return;
    }
    Outbound outbound = next.get();
    Profile profile = state.profile();
    sending = outbound.outboundId();
    if (state.optedOut()) {
      // Queued before the opt-out (a reply, an apology): it fails here, nothing reaches the contact.
      context.pipeToSelf(java.util.concurrent.CompletableFuture.completedFuture(new SendOutcome.Permanent(OPTED_OUT)),
          (result, failure) -> new SendAnswered(outbound.outboundId(), result, failure));
      return;
    }
    OutboundMessage message = new OutboundMessage(sessionId, profile.orgId(), profile.agentId(), profile.channel(),
        profile.contact(), outbound.outboundId(), outbound.text(), state.lastInboundAt(), outbound.template(),
        outbound.kind() == OutboundKind.FOLLOWUP, outbound.kind() == OutboundKind.HUMAN);
    CompletionStage<SendOutcome> outcome;
    try {
      outcome = Timeouts.within(context.getSystem().scheduler(), dependencies.channel().send(message).toCompletableFuture(), SEND_TIMEOUT);
    } catch (RuntimeException e) {
      outcome = java.util.concurrent.CompletableFuture.failedFuture(e);
    }
    context.pipeToSelf(outcome, (result, failure) -> new SendAnswered(outbound.outboundId(), result, failure));
  }

  private ReplyEffect<SessionEvent, SessionState> onSendAnswered(SessionState state, SendAnswered answered) {
    sending = null;
    Optional<Outbound> outbound = state.outbound(answered.outboundId());
    if (outbound.isEmpty() || outbound.get().status() != DeliveryStatus.QUEUED) {
      sendNext(state);
      return Effect().noReply();
    }
    dependencies.metrics().delivery(state.profile().channel(), SendAnswers.metricLabel(answered.outcome()));
    SendAnswers.Next next = SendAnswers.of(answered.outcome(), answered.failure(), sendAttempts + 1, settings);
    if (next instanceof SendAnswers.Record delivery) {
      sendAttempts = 0;
      return persist(new DeliveryUpdated(answered.outboundId(), delivery.status(), delivery.providerMessageId(), delivery.reason(), now()))
          .thenRun(after -> {
            if (delivery.status() == DeliveryStatus.FAILED) {
              withContext(after, () -> log.warn("Message {} could not be delivered: {}", answered.outboundId(), delivery.reason()));
            }
            settle(after);
            sendNext(after);
          })
          .thenNoReply();
    }
    SendAnswers.Again again = (SendAnswers.Again) next;
    sendAttempts++;
    withContext(state, () -> log.warn("Sending {} failed ({}), attempt {}; again in {}", answered.outboundId(), again.why(), sendAttempts,
        again.delay()));
    if (stopping) {
      // nothing went out; the next incarnation tries again
      return Effect().stop().thenNoReply();
    }
    timers.startSingleTimer("send-again", new SendAgain(), again.delay());
    return Effect().noReply();
  }


  private ReplyEffect<SessionEvent, SessionState> onDeliveryReceipt(SessionState state, DeliveryReceipt receipt) {
    if (receipt.providerMessageId() == null || receipt.status() == null || receipt.status() == DeliveryStatus.QUEUED) {
      return Effect().reply(receipt.replyTo(), new Rejected(Reason.INVALID, "a receipt needs a provider message id and a status"));
    }
    Optional<Outbound> outbound = state.sentAs(receipt.providerMessageId());
    if (outbound.isEmpty()) {
      return Effect().reply(receipt.replyTo(), new Rejected(Reason.NOT_FOUND, "no recent message " + receipt.providerMessageId()));
    }
    if (!outbound.get().status().canBecome(receipt.status())) {
      return Effect().reply(receipt.replyTo(), new Done(sessionId, outbound.get().outboundId()));
    }
    return persist(new DeliveryUpdated(outbound.get().outboundId(), receipt.status(), null, receipt.reason(), now()))
        .thenReply(receipt.replyTo(), after -> new Done(sessionId, outbound.get().outboundId()));
  }

  // ---- polling ----

  private ReplyEffect<SessionEvent, SessionState> onGetConversation(SessionState state, GetConversation command) {
    if (!state.started()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    Profile profile = state.profile();
    Turn turn = state.turn();
    return Effect().reply(command.replyTo(), new Conversation(new ConversationView(
        sessionId, profile.orgId(), profile.agentId(), profile.channel(), profile.contact(), state.status(), state.owner(),
        turn == null ? null : turn.number(), turn == null ? null : turn.stage(), state.pending().size(), state.approvals(),
        state.context(), state.outbox(), state.creditsUsed(), state.creditsExhausted(), state.lastInboundAt(),
        state.messages(), state.optedOut())));
  }

  // ---- recovery ----

  /**
   * Resumes after a restart or the waker's nudge. A conversation whose windows today's settings
   * changed first records the new ones, so its journal alone says what it remembers.
   */
  private ReplyEffect<SessionEvent, SessionState> onWake(SessionState state, Wake command) {
    if (state.started() && !state.windows().equals(windows)) {
      return persist(new WindowsChanged(windows, now())).thenRun(this::resume).thenNoReply();
    }
    resume(state);
    return Effect().noReply();
  }

  /** Picks up whatever the conversation had not finished: the turn, unanswered messages, timers, unsent replies. */
  private void resume(SessionState state) {
    if (!state.started()) {
      return;
    }
    state.approvals().forEach(this::scheduleApproval);
    scheduleFollowups(state);
    if (state.status() == Status.HANDED_OFF && state.remindAt() != null && !timers.isTimerActive("reminder")) {
      afterHandOff(state);
    }
    Turn turn = state.turn();
    if (turn != null && !stepInFlight) {
      if (turn.stage() == Stage.THINKING) {
        loadAgent(state, Purpose.RESUME, turn.number());
      } else if (turn.stage() == Stage.SETTLING) {
        settle(state);
      }
    } else if (turn == null) {
      if (!timers.isTimerActive(LEASE_TIMER)) {
        keepLease(state); // recovered holding a lease: spent by the next turn, or returned when idle
      }
      startNextTurn(state);
    }
    sendNext(state);
  }

  private void scheduleApproval(Approval approval) {
    if (!timers.isTimerActive(approvalTimer(approval.approvalId()))) {
      timers.startSingleTimer(approvalTimer(approval.approvalId()), new ApprovalDue(approval.approvalId()), untilNow(approval.expiresAt()));
    }
  }

  // ---- helpers ----

  private boolean isCurrent(SessionState state, int turnNumber, Stage stage) {
    return state.turn() != null && state.turn().number() == turnNumber && state.turn().stage() == stage;
  }

  private SessionState applied(SessionState state, List<SessionEvent> events) {
    SessionState result = state;
    for (SessionEvent event : events) {
      result = result.apply(event);
    }
    return result;
  }

  /** Outbound ids count up per conversation. */
  private static String outboundId(SessionState state) {
    return "out-" + (state.outbounds() + 1);
  }

  private static String approvalTimer(String approvalId) {
    return "approval:" + approvalId;
  }

  private static String followupTimer(String followupId) {
    return "followup:" + followupId;
  }

  private Duration backoff(int attempt, Duration retryAfter) {
    return SendAnswers.backoff(attempt, retryAfter, settings);
  }


  private Duration untilNow(Instant at) {
    Duration delay = Duration.between(now(), at);
    return delay.isNegative() ? Duration.ZERO : delay;
  }

  private Instant now() {
    return dependencies.clock().instant();
  }

  private Rejected notFound() {
    return new Rejected(Reason.NOT_FOUND, "no conversation " + sessionId);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static Map<String, String> strings(Map<String, Object> arguments) {
    return Tool.arguments(arguments);
  }


  private static String describe(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof ModelFailure modelFailure) {
      return "the model failed (" + modelFailure.kind().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return "the model did not answer in time";
    }
    return "the model call failed (" + cause.getClass().getSimpleName() + ")";
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Logs with the conversation's org, agent and session in the MDC. */
  private void withContext(SessionState state, Runnable logging) {
    Profile profile = state.profile();
    MDC.put("orgId", profile.orgId());
    MDC.put("agentId", profile.agentId());
    MDC.put("sessionId", sessionId);
    try {
      logging.run();
    } finally {
      MDC.remove("orgId");
      MDC.remove("agentId");
      MDC.remove("sessionId");
    }
  }
}
