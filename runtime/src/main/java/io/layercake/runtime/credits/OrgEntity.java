package io.layercake.runtime.credits;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.layercake.config.Catalog;
import io.layercake.config.CreditSettings;
import io.layercake.config.EntitySettings;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
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

/**
 * An organization and its credit ledger ({@code Org|orgId}).
 *
 * <p>Credits sit in three buckets, spent daily first, then monthly, then purchased. A turn
 * reserves its estimated cost (the credits leave the buckets), then commits what it actually cost
 * (the rest goes back) or releases it; a reservation nobody settles expires after its TTL. Every
 * command is idempotent: reservations on their id, purchases and tier changes on their key,
 * grants on their bucket and period. A sub-organization has no pool of its own: it forwards money
 * commands to its parent, which records the sub-organization on every transaction.
 *
 * <p>Reservations and settlements are group-committed: while one write is in flight, the money
 * commands that queue up behind it are decided against the state their predecessors leave
 * ({@link Batch}) and persisted together in one atomic write, each answered once that write is
 * done. A busy organization therefore pays one journal round trip per group, not per turn.
 */
public final class OrgEntity
    extends EventSourcedBehaviorWithEnforcedReplies<OrgEntity.Command, OrgEntity.Event, OrgEntity.State> {

  /** What its state's maps are at run time, though declared as maps: their JSON is built at start too (JsonWarmUp). */
  public static final List<Class<?>> STATE_MAP_TYPES = List.of(RecentKeys.class);
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Org");
  /** Profile events (opened, tier changed) feed the organization directory. */
  public static final String PROFILE_TAG = "org-profiles";

  /** How many settled reservations and applied keys an org remembers for retries. */
  static final int SETTLED_RESERVATIONS_KEPT = 512;
  static final int APPLIED_KEYS_KEPT = 256;
  /** Refusals are remembered too, but at most this many, so a burst of them cannot push real settlements out. */
  static final int REFUSALS_KEPT = 128;
  /** Purchase and tier-change keys live in one bounded map, each kind under its own prefix. */
  static final String PURCHASE_KEY = "purchase:";
  static final String TIER_KEY = "tier:";
  /** Amounts beyond this are refused: far above any real balance, far below where sums could overflow. */
  public static final long MAX_CREDITS = 1_000_000_000_000L;
  /**
   * A lease takes at most this share of what is available ({@link Reserve#atLeast()}): one in a
   * hundred, so a small pool lends little at once, and credits held by idle leases stay a small part
   * of any pool until hundreds of conversations hold one.
   */
  static final long LEASE_SHARE = 100;
  /** Identifiers and keys longer than this are refused (they become read-model columns). */
  public static final int MAX_ID_LENGTH = 128;
  private static final String EXPIRY_TIMER = "expiry";
  /** After a look that found a reservation settled before its expiry, the next look waits at least this long. */
  private static final Duration EXPIRY_CHECK_SPACING = Duration.ofSeconds(1);
  private static final java.util.regex.Pattern MONTH = java.util.regex.Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
  private static final java.util.regex.Pattern DAY =
      java.util.regex.Pattern.compile("\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])");

  // ---- commands ----

  public sealed interface Command extends JsonSerializable {}

  /** A command whose sender waits for a {@link Reply}. */
  public interface ExpectsReply {
    ActorRef<Reply> replyTo();
  }

  /** Opens the organization. Repeating it with the same details is harmless; other details are refused. */
  public record Open(String name, String tier, String parentOrgId, ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  public record ChangeTier(String tier, String idempotencyKey, ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  public record Rename(String name, ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  /**
   * Sets a period bucket (daily or monthly) to {@code amount} for {@code periodKey}; whatever was
   * left from the previous period expires. Period keys must sort in time (ISO dates: 2026-11,
   * 2026-11-25). A grant for the current or an older period changes nothing.
   */
  public record Grant(String periodKey, Bucket bucket, long amount, ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  /** Adds bought credits, once per key (a Stripe event or checkout session id). They never expire. */
  public record AddPurchased(String idempotencyKey, long credits, ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  /**
   * Sets credits aside for a turn, or for a conversation's lease of several turns. {@code forOrgId}
   * is filled in by a sub-organization that forwards to its parent; callers leave it null.
   *
   * <p>{@code atLeast} between 1 and {@code amount} asks for a lease: the organization grants
   * between {@code atLeast} and {@code amount}, at most a hundredth of what is available, so leases
   * shrink to single turns as the balance runs low. 0 (or
   * {@code amount}) reserves exactly {@code amount}. {@link Reserved#amount()} says what was granted.
   */
  public record Reserve(
      String reservationId, long amount, long atLeast, String sessionId, String agentId, String forOrgId,
      ActorRef<Reply> replyTo)
      implements Command, ExpectsReply {
    /** Exactly {@code amount}. */
    public Reserve(String reservationId, long amount, String sessionId, String agentId, String forOrgId, ActorRef<Reply> replyTo) {
      this(reservationId, amount, 0, sessionId, agentId, forOrgId, replyTo);
    }
  }

  /** Spends what the turn actually cost ({@code breakdown} adds up to it) and returns the rest. */
  public record Commit(
      String reservationId, long actualCost, List<CostLine> breakdown, String forOrgId, ActorRef<Reply> replyTo)
      implements Command, ExpectsReply {}

  /** Gives the hold back. {@code forOrgId} is filled in by a forwarding sub-organization, as for {@link Reserve}. */
  public record Release(String reservationId, String forOrgId, ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  public record GetSummary(ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  /** The balance of the pool this organization spends from (its parent's, for a sub-organization). */
  public record GetBalance(ActorRef<Reply> replyTo) implements Command, ExpectsReply {}

  /** Sent by the sweeper to an org that was not in memory: expires the reservation if it is overdue. */
  public record ExpireReservation(String reservationId) implements Command {}

  /** Sent by the organization's one expiry timer: releases every open reservation past its time to live. */
  public record ExpireOverdue() implements Command {}

  /** Sent by the entity to itself: persist the money commands decided since the last write ({@link Batch}). */
  public record FlushBatch() implements Command {}

  // ---- events ----

  public sealed interface Event extends JsonSerializable {}

  public record Opened(String name, String tier, String parentOrgId, Instant at) implements Event {}

  public record TierChanged(String from, String to, String idempotencyKey, Instant at) implements Event {}

  public record Renamed(String name, Instant at) implements Event {}

  public record Granted(String periodKey, Bucket bucket, long amount, long expired, Instant at) implements Event {}

  public record CreditsPurchased(String idempotencyKey, long credits, Instant at) implements Event {}

  public record CreditsReserved(Reservation reservation, Instant at) implements Event {}

  public record ReservationRefused(
      String reservationId, long amount, long available, String forOrgId, String sessionId, String agentId, Instant at)
      implements Event {}

  /**
   * A turn paid: {@code fromHold} of its reservation was spent and {@code returned} went back to the
   * buckets, but for {@code lapsed}, held credits of a period that ended meanwhile; {@code overage} is what it cost beyond the reservation, taken from the buckets;
   * {@code unmetered} is usage an unlimited tier does not pay in credits; {@code shortfall} is cost
   * that found no credits.
   */
  public record ReservationCommitted(
      String reservationId,
      long actualCost,
      Balances fromHold,
      Balances returned,
      Balances lapsed,
      Balances overage,
      long unmetered,
      long shortfall,
      List<CostLine> breakdown,
      String forOrgId,
      String sessionId,
      String agentId,
      Instant at)
      implements Event {
    public long charged() {
      return fromHold.total() + overage.total();
    }
  }

  /** The hold came back ({@code returned}), but for {@code lapsed}: credits of a period that ended meanwhile. */
  public record ReservationReleased(
      String reservationId, Balances returned, Balances lapsed, boolean expired, String forOrgId, String sessionId,
      String agentId, Instant at)
      implements Event {}

  public record LowCredits(String periodKey, long available, long monthlyAllocation, Instant at) implements Event {}

  public record CreditsExhausted(String periodKey, Instant at) implements Event {}

  // ---- replies ----

  public sealed interface Reply extends JsonSerializable {}

  public record Accepted(Summary summary) implements Reply {}

  public record CurrentBalance(Balance balance) implements Reply {}

  /**
   * The reservation holds {@code amount}. {@code open}: it is still open, so its holder may keep
   * spending from it (a lease); false when it was committed already (a turn asking again after a
   * crash), when all the holder may do is commit again and learn the first charge.
   */
  public record Reserved(String reservationId, long amount, Instant expiresAt, boolean open) implements Reply {
    public Reserved(String reservationId, long amount, Instant expiresAt) {
      this(reservationId, amount, expiresAt, true);
    }
  }

  public record Insufficient(String reservationId, long available) implements Reply {}

  /**
   * Too few credits are available now, but reservations in flight and conversations' leases hold
   * {@code held} more, enough between them: ask again shortly (nothing was recorded). Only when
   * even those would not cover it is the reservation refused ({@link Insufficient}).
   */
  public record CreditsHeld(String reservationId, long available, long held) implements Reply {}

  public record Committed(String reservationId, long charged, long shortfall) implements Reply {}

  public record Released(String reservationId, Settlement.Outcome outcome) implements Reply {}

  public record Rejected(Reason reason, String message) implements Reply {}

  /** Why a command was refused, for callers that map it (an HTTP status, for example). */
  public enum Reason {
    NOT_FOUND,
    CONFLICT,
    INVALID
  }

  /** Who an organization is. */
  public record Summary(String orgId, String name, String tier, String parentOrgId) implements JsonSerializable {}

  /** A pool's credits: per bucket, reserved by turns in flight, and what is left to spend. */
  public record Balance(
      String poolOrgId,
      String tier,
      boolean unlimited,
      Balances buckets,
      long reserved,
      long available,
      int openReservations,
      String monthlyPeriod,
      long monthlyAllocation,
      boolean lowCredits,
      boolean exhausted,
      LedgerTotals totals)
      implements JsonSerializable {}

  // ---- state ----

  /** The organization's profile; null in {@link State} until it is opened. */
  public record Profile(String name, String tier, String parentOrgId) implements JsonSerializable {}

  public record State(
      Profile profile,
      Balances balances,
      Map<String, Reservation> openReservations,
      Map<String, Settlement> settled,
      Map<String, String> appliedKeys,
      String dailyPeriod,
      String monthlyPeriod,
      long monthlyAllocation,
      String lowCreditsPeriod,
      boolean exhausted,
      LedgerTotals totals)
      implements JsonSerializable {

    public static final State UNOPENED =
        new State(null, Balances.EMPTY, Map.of(), Map.of(), Map.of(), null, null, 0, null, false, LedgerTotals.ZERO);

    public State {
      openReservations = RecentKeys.copyOf(openReservations);
      settled = RecentKeys.copyOf(settled);
      appliedKeys = RecentKeys.copyOf(appliedKeys);
    }

    @JsonIgnore
    public boolean isOpen() {
      return profile != null;
    }

    @JsonIgnore
    public boolean isSubOrganization() {
      return profile != null && profile.parentOrgId() != null;
    }

    public long reserved() {
      return openReservations.values().stream().mapToLong(reservation -> reservation.holds().total()).sum();
    }

    Summary summary(String orgId) {
      return new Summary(orgId, profile.name(), profile.tier(), profile.parentOrgId());
    }

    /**
     * The pool as callers see it. {@code lowCredits} and {@code exhausted} follow the balance (below
     * the share of the monthly allocation, nothing left to spend; metered tiers only), not
     * {@link #lowCreditsPeriod} and {@link #exhausted}, which only remember that an alert was sent:
     * an organization that never had credits is exhausted without ever crossing zero, and one that
     * bought credits is no longer low.
     */
    Balance balance(String orgId, boolean unlimited, int lowCreditPercent) {
      long available = balances.total();
      boolean low = !unlimited && monthlyAllocation > 0 && available * 100 < monthlyAllocation * lowCreditPercent;
      return new Balance(
          orgId, profile.tier(), unlimited, balances, reserved(), available, openReservations.size(),
          monthlyPeriod, monthlyAllocation, low, !unlimited && available <= 0, totals);
    }

    State apply(Event event) {
      if (event instanceof Opened e) {
        return withProfile(new Profile(e.name(), e.tier(), e.parentOrgId()));
      } else if (event instanceof Renamed e) {
        return withProfile(new Profile(e.name(), profile.tier(), profile.parentOrgId()));
      } else if (event instanceof TierChanged e) {
        return new State(
            new Profile(profile.name(), e.to(), profile.parentOrgId()), balances, openReservations, settled,
            RecentKeys.with(appliedKeys, TIER_KEY + e.idempotencyKey(), e.to(), APPLIED_KEYS_KEPT), dailyPeriod,
            monthlyPeriod, monthlyAllocation, lowCreditsPeriod, exhausted, totals);
      } else if (event instanceof Granted e) {
        Balances after = balances.plus(e.bucket(), e.amount() - e.expired());
        boolean monthly = e.bucket() == Bucket.MONTHLY;
        return new State(
            profile, after, openReservations, settled, appliedKeys,
            monthly ? dailyPeriod : e.periodKey(), monthly ? e.periodKey() : monthlyPeriod,
            monthly ? e.amount() : monthlyAllocation, lowCreditsPeriod, exhausted && after.total() == 0,
            totals.plusGranted(e.amount(), e.expired()));
      } else if (event instanceof CreditsPurchased e) {
        Balances after = balances.plus(Bucket.PURCHASED, e.credits());
        return new State(
            profile, after, openReservations, settled,
            RecentKeys.with(appliedKeys, PURCHASE_KEY + e.idempotencyKey(), Long.toString(e.credits()), APPLIED_KEYS_KEPT),
            dailyPeriod, monthlyPeriod, monthlyAllocation, lowCreditsPeriod, exhausted && after.total() == 0,
            totals.plusPurchased(e.credits()));
      } else if (event instanceof CreditsReserved e) {
        Reservation reservation = e.reservation();
        return new State(
            profile, balances.minus(reservation.holds()),
            RecentKeys.with(openReservations, reservation.reservationId(), reservation, Integer.MAX_VALUE), settled,
            appliedKeys, dailyPeriod, monthlyPeriod, monthlyAllocation, lowCreditsPeriod, exhausted, totals);
      } else if (event instanceof ReservationRefused e) {
        return withRefusal(Settlement.refused(e));
      } else if (event instanceof ReservationCommitted e) {
        Reservation reservation = openReservations.get(e.reservationId());
        Settlement previous = settled.get(e.reservationId());
        Settlement base = reservation != null
            ? Settlement.released(reservation, false)
            : previous;
        return new State(
            profile, balances.plus(e.returned()).minus(e.overage()), without(e.reservationId()),
            RecentKeys.with(settled, e.reservationId(), base.committed(e.charged(), e.shortfall()), SETTLED_RESERVATIONS_KEPT),
            appliedKeys, dailyPeriod, monthlyPeriod, monthlyAllocation, lowCreditsPeriod,
            exhausted && balances.plus(e.returned()).minus(e.overage()).total() == 0,
            totals.plusCommitted(e.charged(), e.unmetered(), e.shortfall()).plusLapsed(e.lapsed().total()));
      } else if (event instanceof ReservationReleased e) {
        Reservation reservation = openReservations.get(e.reservationId());
        return new State(
            profile, balances.plus(e.returned()), without(e.reservationId()),
            RecentKeys.with(settled, e.reservationId(), Settlement.released(reservation, e.expired()), SETTLED_RESERVATIONS_KEPT),
            appliedKeys, dailyPeriod, monthlyPeriod, monthlyAllocation, lowCreditsPeriod,
            exhausted && balances.plus(e.returned()).total() == 0, totals.plusLapsed(e.lapsed().total()));
      } else if (event instanceof LowCredits e) {
        return new State(
            profile, balances, openReservations, settled, appliedKeys, dailyPeriod, monthlyPeriod, monthlyAllocation,
            e.periodKey(), exhausted, totals);
      } else if (event instanceof CreditsExhausted) {
        return new State(
            profile, balances, openReservations, settled, appliedKeys, dailyPeriod, monthlyPeriod, monthlyAllocation,
            lowCreditsPeriod, true, totals);
      }
      throw new IllegalArgumentException("unknown event " + event);
    }

    private State withProfile(Profile newProfile) {
      return new State(
          newProfile, balances, openReservations, settled, appliedKeys, dailyPeriod, monthlyPeriod, monthlyAllocation,
          lowCreditsPeriod, exhausted, totals);
    }

    private State withRefusal(Settlement refusal) {
      Map<String, Settlement> kept = settled;
      List<String> refusals = settled.values().stream()
          .filter(settlement -> settlement.outcome() == Settlement.Outcome.REFUSED)
          .map(Settlement::reservationId)
          .toList();
      if (refusals.size() >= REFUSALS_KEPT) {
        kept = RecentKeys.without(settled, refusals.get(0));
      }
      return new State(
          profile, balances, openReservations,
          RecentKeys.with(kept, refusal.reservationId(), refusal, SETTLED_RESERVATIONS_KEPT), appliedKeys,
          dailyPeriod, monthlyPeriod, monthlyAllocation, lowCreditsPeriod, exhausted, totals);
    }

    private Map<String, Reservation> without(String reservationId) {
      return RecentKeys.without(openReservations, reservationId);
    }
  }

  // ---- behavior ----

  /** What an org entity needs from outside. {@code orgs} reaches other organizations (the parent). */
  public record Dependencies(
      EntitySettings entities,
      CreditSettings credits,
      Catalog catalog,
      Function<String, RecipientRef<Command>> orgs,
      Clock clock) {}

  private final String orgId;
  private final Dependencies dependencies;
  private final ActorRef<Command> self;
  private final TimerScheduler<Command> timers;
  /** Money commands decided but not yet written; lost with this incarnation, which answered none of them. */
  private final Batch batch = new Batch();
  /** When the expiry timer fires next; null while it is not running. */
  private Instant nextExpiryCheck;

  private OrgEntity(String orgId, Dependencies dependencies, ActorRef<Command> self, TimerScheduler<Command> timers) {
    super(PersistenceId.of(TYPE_KEY.name(), orgId));
    this.orgId = orgId;
    this.dependencies = dependencies;
    this.self = self;
    this.timers = timers;
  }

  public static Behavior<Command> create(String orgId, Dependencies dependencies) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new OrgEntity(orgId, dependencies, context.getSelf(), timers)));
  }

  @Override
  public State emptyState() {
    return State.UNOPENED;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(dependencies.entities().snapshotEvery(), dependencies.entities().keepSnapshots());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    if (event instanceof Opened || event instanceof TierChanged || event instanceof Renamed) {
      return Set.of(PROFILE_TAG);
    }
    return event instanceof ReservationRefused ? Set.of() : Set.of(CreditTags.tagFor(orgId));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> earliestExpiry(state).ifPresent(this::checkExpiriesBy))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, State> builder = newCommandHandlerWithReplyBuilder();
    builder.forState(state -> !state.isOpen())
        .onCommand(Open.class, this::onOpen)
        .onCommand(ExpireReservation.class, (state, command) -> Effect().noReply())
        .onCommand(ExpireOverdue.class, (state, command) -> Effect().noReply())
        .onAnyCommand((state, command) -> command instanceof ExpectsReply expectsReply
            ? Effect().reply(expectsReply.replyTo(), notOpen())
            : Effect().noReply());
    builder.forState(State::isSubOrganization)
        .onCommand(Open.class, this::onOpenAgain)
        .onCommand(Rename.class, this::onRename)
        .onCommand(ChangeTier.class, this::onChangeTier)
        .onCommand(GetSummary.class, (state, command) -> Effect().reply(command.replyTo(), new Accepted(state.summary(orgId))))
        .onCommand(Reserve.class, (state, command) -> forwardToParent(state, new Reserve(
            command.reservationId(), command.amount(), command.atLeast(), command.sessionId(), command.agentId(),
            command.forOrgId() == null ? orgId : command.forOrgId(), command.replyTo())))
        .onCommand(Commit.class, (state, command) -> forwardToParent(state, new Commit(
            command.reservationId(), command.actualCost(), command.breakdown(),
            command.forOrgId() == null ? orgId : command.forOrgId(), command.replyTo())))
        .onCommand(Release.class, (state, command) -> forwardToParent(state, new Release(
            command.reservationId(), command.forOrgId() == null ? orgId : command.forOrgId(), command.replyTo())))
        .onCommand(GetBalance.class, this::forwardToParent)
        .onCommand(ExpireReservation.class, (state, command) -> Effect().noReply())
        .onCommand(ExpireOverdue.class, (state, command) -> Effect().noReply())
        .onCommand(Grant.class, (state, command) -> Effect().reply(command.replyTo(), drawsOnParent(state)))
        .onCommand(AddPurchased.class, (state, command) -> Effect().reply(command.replyTo(), drawsOnParent(state)));
    builder.forState(State::isOpen)
        .onCommand(FlushBatch.class, this::onFlushBatch)
        .onCommand(Reserve.class, (state, command) -> batched(state, command.replyTo(), this::onReserve, command))
        .onCommand(Commit.class, (state, command) -> batched(state, command.replyTo(), this::onCommit, command))
        .onCommand(Release.class, (state, command) -> batched(state, command.replyTo(), this::onRelease, command))
        // Everything else reads or changes the balance: it waits until the open batch is written.
        .onCommand(command -> !batch.isEmpty(), (state, command) -> Effect().stash())
        .onCommand(Open.class, this::onOpenAgain)
        .onCommand(Rename.class, this::onRename)
        .onCommand(ChangeTier.class, this::onChangeTier)
        .onCommand(GetSummary.class, (state, command) -> Effect().reply(command.replyTo(), new Accepted(state.summary(orgId))))
        .onCommand(GetBalance.class, (state, command) -> Effect().reply(command.replyTo(), currentBalance(state)))
        .onCommand(Grant.class, this::onGrant)
        .onCommand(AddPurchased.class, this::onAddPurchased)
        .onCommand(ExpireReservation.class, this::onExpire)
        .onCommand(ExpireOverdue.class, this::onExpireOverdue);
    return builder.build();
  }

  // ---- group commit ----

  /** A money command's decision: the events to write (maybe none), the answer once they are, and what follows. */
  record Decision(List<Event> events, Reply reply, Runnable afterwards) {
    static Decision answer(Reply reply) {
      return new Decision(List.of(), reply, () -> {});
    }
  }

  /** The decisions not yet written, and the state they leave (the persisted state plus their events). */
  static final class Batch {
    static final int MAX_COMMANDS = 1_000;
    private final List<Decision> decisions = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private State state;

    boolean isEmpty() {
      return decisions.isEmpty();
    }

    boolean isFull() {
      return decisions.size() >= MAX_COMMANDS;
    }

    State state(State persisted) {
      return isEmpty() ? persisted : state;
    }

    void add(State persisted, Decision decision, ActorRef<Reply> replyTo) {
      State before = state(persisted);
      State after = before;
      for (Event event : decision.events()) {
        after = after.apply(event);
      }
      decisions.add(new Decision(decision.events(), decision.reply(), () -> {
        decision.afterwards().run();
        replyTo.tell(decision.reply());
      }));
      events.addAll(decision.events());
      state = after;
    }

    List<Event> events() {
      return List.copyOf(events);
    }

    /** Takes the decisions out (answering them is up to the caller, once their events are written). */
    List<Decision> drain() {
      List<Decision> drained = List.copyOf(decisions);
      decisions.clear();
      events.clear();
      state = null;
      return drained;
    }
  }

  private <C extends Command> ReplyEffect<Event, State> batched(
      State state, ActorRef<Reply> replyTo, java.util.function.BiFunction<State, C, Decision> decide, C command) {
    if (batch.isFull()) {
      return Effect().stash();
    }
    Decision decision = decide.apply(batch.state(state), command);
    if (batch.isEmpty() && decision.events().isEmpty()) {
      return Effect().reply(replyTo, decision.reply());
    }
    if (batch.isEmpty()) {
      // Queued behind the commands already in the mailbox: they join this batch before it is written.
      self.tell(new FlushBatch());
    }
    batch.add(state, decision, replyTo);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onFlushBatch(State state, FlushBatch flush) {
    if (batch.isEmpty()) {
      return Effect().noReply();
    }
    List<Event> events = batch.events();
    List<Decision> decisions = batch.drain();
    if (events.isEmpty()) {
      decisions.forEach(decision -> decision.afterwards().run());
      return Effect().noReply().thenUnstashAll();
    }
    return Effect().persist(events)
        .thenRun(after -> decisions.forEach(decision -> decision.afterwards().run()))
        .thenNoReply()
        .thenUnstashAll();
  }

  // ---- profile ----

  private ReplyEffect<Event, State> onOpen(State state, Open command) {
    if (command.name() == null || command.name().isBlank()) {
      return Effect().reply(command.replyTo(), invalid("name must not be empty"));
    }
    if (command.tier() == null || dependencies.catalog().tier(command.tier()).isEmpty()) {
      return Effect().reply(command.replyTo(), invalid("unknown tier " + command.tier()));
    }
    if (orgId.equals(command.parentOrgId())) {
      return Effect().reply(command.replyTo(), invalid("an organization cannot be its own parent"));
    }
    Opened opened = new Opened(command.name().strip(), command.tier(), command.parentOrgId(), now());
    return Effect().persist(opened).thenReply(command.replyTo(), after -> new Accepted(after.summary(orgId)));
  }

  private ReplyEffect<Event, State> onRename(State state, Rename command) {
    if (command.name() == null || command.name().isBlank() || command.name().strip().length() > 200) {
      return Effect().reply(command.replyTo(), invalid("name must be 1 to 200 characters"));
    }
    if (command.name().strip().equals(state.profile().name())) {
      return Effect().reply(command.replyTo(), new Accepted(state.summary(orgId)));
    }
    return Effect().persist(new Renamed(command.name().strip(), now()))
        .thenReply(command.replyTo(), after -> new Accepted(after.summary(orgId)));
  }

  private ReplyEffect<Event, State> onOpenAgain(State state, Open command) {
    Profile profile = state.profile();
    boolean same = profile.name().equals(command.name() == null ? null : command.name().strip())
        && profile.tier().equals(command.tier())
        && Objects.equals(profile.parentOrgId(), command.parentOrgId());
    return Effect().reply(
        command.replyTo(),
        same
            ? new Accepted(state.summary(orgId))
            : new Rejected(Reason.CONFLICT, "organization " + orgId + " is already open with other details"));
  }

  private ReplyEffect<Event, State> onChangeTier(State state, ChangeTier command) {
    if (command.tier() == null || dependencies.catalog().tier(command.tier()).isEmpty()) {
      return Effect().reply(command.replyTo(), invalid("unknown tier " + command.tier()));
    }
    if (!validId(command.idempotencyKey())) {
      return Effect().reply(command.replyTo(), invalid("idempotencyKey must be 1 to " + MAX_ID_LENGTH + " characters"));
    }
    if (state.appliedKeys().containsKey(TIER_KEY + command.idempotencyKey()) || command.tier().equals(state.profile().tier())) {
      return Effect().reply(command.replyTo(), new Accepted(state.summary(orgId)));
    }
    TierChanged changed = new TierChanged(state.profile().tier(), command.tier(), command.idempotencyKey(), now());
    return Effect().persist(changed).thenReply(command.replyTo(), after -> new Accepted(after.summary(orgId)));
  }

  // ---- credits in ----

  private ReplyEffect<Event, State> onGrant(State state, Grant command) {
    if (command.amount() < 0 || command.amount() > MAX_CREDITS) {
      return Effect().reply(command.replyTo(), invalid("amount must be between 0 and " + MAX_CREDITS));
    }
    if (command.bucket() == null || command.bucket() == Bucket.PURCHASED) {
      return Effect().reply(command.replyTo(), invalid("grants go to the daily or monthly bucket; purchases are added with their key"));
    }
    boolean daily = command.bucket() == Bucket.DAILY;
    if (command.periodKey() == null || !(daily ? DAY : MONTH).matcher(command.periodKey()).matches()) {
      return Effect().reply(command.replyTo(), invalid(daily
          ? "periodKey of a daily grant is the day, yyyy-MM-dd"
          : "periodKey of a monthly grant is the month, yyyy-MM"));
    }
    String currentPeriod = command.bucket() == Bucket.DAILY ? state.dailyPeriod() : state.monthlyPeriod();
    if (currentPeriod != null && command.periodKey().compareTo(currentPeriod) <= 0) {
      return Effect().reply(command.replyTo(), currentBalance(state));
    }
    Granted granted = new Granted(
        command.periodKey(), command.bucket(), command.amount(), state.balances().in(command.bucket()), now());
    return Effect().persist(granted).thenReply(command.replyTo(), this::currentBalance);
  }

  private ReplyEffect<Event, State> onAddPurchased(State state, AddPurchased command) {
    if (command.credits() <= 0 || command.credits() > MAX_CREDITS) {
      return Effect().reply(command.replyTo(), invalid("credits must be between 1 and " + MAX_CREDITS));
    }
    if (!validId(command.idempotencyKey())) {
      return Effect().reply(command.replyTo(), invalid("idempotencyKey must be 1 to " + MAX_ID_LENGTH + " characters"));
    }
    if (state.appliedKeys().containsKey(PURCHASE_KEY + command.idempotencyKey())) {
      return Effect().reply(command.replyTo(), currentBalance(state));
    }
    CreditsPurchased purchased = new CreditsPurchased(command.idempotencyKey(), command.credits(), now());
    return Effect().persist(purchased).thenReply(command.replyTo(), this::currentBalance);
  }

  // ---- credits out ----

  private Decision onReserve(State state, Reserve command) {
    if (!validId(command.reservationId()) || !validOptionalId(command.sessionId()) || !validOptionalId(command.agentId())) {
      return Decision.answer(invalid("reservationId, sessionId and agentId are at most " + MAX_ID_LENGTH + " characters"));
    }
    String forOrgId = command.forOrgId() == null ? orgId : command.forOrgId();
    Reservation open = state.openReservations().get(command.reservationId());
    if (open != null) {
      return Decision.answer(!open.forOrgId().equals(forOrgId)
          ? otherOrganizations(command.reservationId())
          : new Reserved(open.reservationId(), open.amount(), open.expiresAt(), true));
    }
    Settlement settled = state.settled().get(command.reservationId());
    if (settled != null) {
      if (!forOrgId.equals(settled.forOrgId())) {
        return Decision.answer(otherOrganizations(command.reservationId()));
      }
      return Decision.answer(switch (settled.outcome()) {
        case REFUSED -> new Insufficient(settled.reservationId(), settled.available());
        case COMMITTED -> new Reserved(settled.reservationId(), settled.amount(), settled.expiresAt(), false);
        // The hold is gone: a turn that went on would spend credits nobody checked.
        case RELEASED, EXPIRED -> new Released(settled.reservationId(), settled.outcome());
      });
    }
    if (command.amount() <= 0 || command.amount() > MAX_CREDITS) {
      return Decision.answer(invalid("amount must be between 1 and " + MAX_CREDITS));
    }
    if (command.atLeast() < 0 || command.atLeast() > command.amount()) {
      return Decision.answer(invalid("atLeast must be between 0 and the amount " + command.amount()));
    }
    long available = state.balances().total();
    boolean unlimited = unlimited(state);
    long needed = command.atLeast() > 0 ? command.atLeast() : command.amount();
    if (!unlimited && needed > available) {
      long held = state.reserved(); // counted only here: a pool short of credits is not a hot path
      if (available + held >= needed) {
        return Decision.answer(new CreditsHeld(command.reservationId(), available, held));
      }
      ReservationRefused refused = new ReservationRefused(
          command.reservationId(), needed, available, forOrgId, command.sessionId(), command.agentId(), now());
      return new Decision(List.of(refused), new Insufficient(command.reservationId(), available), () -> {});
    }
    long amount = unlimited ? command.amount() : Math.min(command.amount(), Math.max(needed, available / LEASE_SHARE));
    Balances holds = unlimited ? Balances.EMPTY : state.balances().takeUpTo(amount);
    Reservation reservation = new Reservation(
        command.reservationId(), amount, holds, amount - holds.total(), forOrgId,
        command.sessionId(), command.agentId(), now().plus(dependencies.credits().reservationTtl()),
        state.dailyPeriod(), state.monthlyPeriod());
    List<Event> events = withAlerts(state, new CreditsReserved(reservation, now()));
    return new Decision(events, new Reserved(reservation.reservationId(), reservation.amount(), reservation.expiresAt(), true),
        () -> checkExpiriesBy(reservation.expiresAt()));
  }

  private Decision onCommit(State state, Commit command) {
    List<CostLine> breakdown = command.breakdown() == null ? List.of() : List.copyOf(command.breakdown());
    if (command.actualCost() < 0 || command.actualCost() > MAX_CREDITS
        || breakdown.stream().anyMatch(line -> line.credits() < 0 || line.credits() > MAX_CREDITS || !validId(line.item()))) {
      return Decision.answer(invalid(
          "costs must be between 0 and " + MAX_CREDITS + " and every breakdown line needs an item of at most " + MAX_ID_LENGTH + " characters"));
    }
    if (breakdown.stream().mapToLong(CostLine::credits).sum() != command.actualCost()) {
      return Decision.answer(invalid("the breakdown must add up to the actual cost " + command.actualCost()));
    }
    Reservation reservation = state.openReservations().get(command.reservationId());
    Settlement settled = state.settled().get(command.reservationId());
    if (reservation == null && settled == null) {
      return Decision.answer(new Rejected(Reason.NOT_FOUND, "no reservation " + command.reservationId()));
    }
    if (!belongsTo(reservation, settled, command.forOrgId())) {
      return Decision.answer(otherOrganizations(command.reservationId()));
    }
    if (reservation == null && settled.outcome() == Settlement.Outcome.COMMITTED) {
      return Decision.answer(new Committed(settled.reservationId(), settled.charged(), settled.shortfall()));
    }
    if (reservation == null && settled.outcome() == Settlement.Outcome.REFUSED) {
      return Decision.answer(invalid("reservation " + command.reservationId() + " was refused; nothing to commit"));
    }
    ReservationCommitted committed = reservation != null
        ? settle(state, reservation, command.actualCost(), breakdown)
        : settleLate(state, settled, command.actualCost(), breakdown);
    return new Decision(withAlerts(state, committed),
        new Committed(committed.reservationId(), committed.charged(), committed.shortfall()),
        () -> {});
  }

  /** The turn's cost comes out of its hold first; beyond that out of the buckets, then it is unmetered or short. */
  private ReservationCommitted settle(State state, Reservation reservation, long actualCost, List<CostLine> breakdown) {
    Balances fromHold = reservation.holds().takeUpTo(actualCost);
    Balances back = reservation.holds().minus(fromHold);
    Balances lapsed = lapsed(state, reservation, back);
    Balances returned = back.minus(lapsed);
    long beyondHold = actualCost - fromHold.total();
    boolean unlimited = unlimited(state);
    Balances overage = unlimited ? Balances.EMPTY : state.balances().plus(returned).takeUpTo(beyondHold);
    long unmetered = unlimited ? beyondHold : 0;
    long shortfall = beyondHold - overage.total() - unmetered;
    return new ReservationCommitted(
        reservation.reservationId(), actualCost, fromHold, returned, lapsed, overage, unmetered, shortfall, breakdown,
        reservation.forOrgId(), reservation.sessionId(), reservation.agentId(), now());
  }

  /** A commit after the reservation expired or was released: the turn still happened, so it pays from the buckets. */
  private ReservationCommitted settleLate(State state, Settlement settled, long actualCost, List<CostLine> breakdown) {
    boolean unlimited = unlimited(state);
    Balances overage = unlimited ? Balances.EMPTY : state.balances().takeUpTo(actualCost);
    long unmetered = unlimited ? actualCost : 0;
    return new ReservationCommitted(
        settled.reservationId(), actualCost, Balances.EMPTY, Balances.EMPTY, Balances.EMPTY, overage, unmetered,
        actualCost - overage.total() - unmetered, breakdown, settled.forOrgId(), settled.sessionId(), settled.agentId(), now());
  }

  private Decision onRelease(State state, Release command) {
    Reservation reservation = state.openReservations().get(command.reservationId());
    Settlement settledBefore = state.settled().get(command.reservationId());
    if ((reservation != null || settledBefore != null) && !belongsTo(reservation, settledBefore, command.forOrgId())) {
      return Decision.answer(otherOrganizations(command.reservationId()));
    }
    if (reservation == null) {
      Settlement settled = settledBefore;
      return settled == null
          ? Decision.answer(new Rejected(Reason.NOT_FOUND, "no reservation " + command.reservationId()))
          : Decision.answer(new Released(command.reservationId(), settled.outcome()));
    }
    ReservationReleased released = released(state, reservation, false);
    return new Decision(List.of(released), new Released(command.reservationId(), Settlement.Outcome.RELEASED), () -> {});
  }

  private ReplyEffect<Event, State> onExpire(State state, ExpireReservation command) {
    Reservation reservation = state.openReservations().get(command.reservationId());
    if (reservation == null) {
      return Effect().noReply();
    }
    if (now().isBefore(reservation.expiresAt())) {
      checkExpiriesBy(reservation.expiresAt());
      return Effect().noReply();
    }
    return Effect().persist(released(state, reservation, true)).thenNoReply();
  }

  /**
   * One timer for all of the organization's reservations, not one each (five objects on Pekko's
   * scheduler per open lease, a twentieth of a live conversation's heap): it fires at the earliest
   * expiry it was told of, releases what is overdue and looks for the next. Settling a reservation
   * does not move the timer; when it fires for one settled meanwhile, the next look is at least
   * {@link #EXPIRY_CHECK_SPACING} later.
   */
  private ReplyEffect<Event, State> onExpireOverdue(State state, ExpireOverdue command) {
    nextExpiryCheck = null;
    Instant now = now();
    List<Event> overdue = new ArrayList<>();
    Instant earliestLater = null;
    for (Reservation reservation : state.openReservations().values()) {
      if (!now.isBefore(reservation.expiresAt()) && overdue.size() < Batch.MAX_COMMANDS) {
        overdue.add(released(state, reservation, true));
      } else if (earliestLater == null || reservation.expiresAt().isBefore(earliestLater)) {
        earliestLater = reservation.expiresAt();
      }
    }
    if (earliestLater != null) {
      Instant notBefore = now.plus(EXPIRY_CHECK_SPACING);
      checkExpiriesBy(earliestLater.isBefore(notBefore) ? notBefore : earliestLater);
    }
    return overdue.isEmpty() ? Effect().noReply() : Effect().persist(overdue).thenNoReply();
  }

  /** The expiry timer fires by {@code expiresAt} (sooner if it already runs for an earlier one). */
  private void checkExpiriesBy(Instant expiresAt) {
    if (nextExpiryCheck != null && !expiresAt.isBefore(nextExpiryCheck)) {
      return;
    }
    nextExpiryCheck = expiresAt;
    Duration delay = Duration.between(now(), expiresAt);
    timers.startSingleTimer(EXPIRY_TIMER, new ExpireOverdue(), delay.isNegative() ? Duration.ZERO : delay);
  }

  private static Optional<Instant> earliestExpiry(State state) {
    return state.openReservations().values().stream().map(Reservation::expiresAt).min(Instant::compareTo);
  }

  private ReservationReleased released(State state, Reservation reservation, boolean expired) {
    Balances lapsed = lapsed(state, reservation, reservation.holds());
    return new ReservationReleased(
        reservation.reservationId(), reservation.holds().minus(lapsed), lapsed, expired, reservation.forOrgId(),
        reservation.sessionId(), reservation.agentId(), now());
  }

  /** The part of {@code back} whose daily or monthly period ended while it was held. */
  private static Balances lapsed(State state, Reservation reservation, Balances back) {
    return new Balances(
        Objects.equals(reservation.dailyPeriod(), state.dailyPeriod()) ? 0 : back.daily(),
        Objects.equals(reservation.monthlyPeriod(), state.monthlyPeriod()) ? 0 : back.monthly(),
        0);
  }

  /** The spending event, followed by LowCredits or CreditsExhausted when it crosses a threshold. */
  private List<Event> withAlerts(State state, Event spending) {
    List<Event> events = new ArrayList<>(List.of(spending));
    if (unlimited(state)) {
      return events;
    }
    State after = state.apply(spending);
    long available = after.balances().total();
    long allocation = after.monthlyAllocation();
    String period = after.monthlyPeriod() == null ? "none" : after.monthlyPeriod();
    boolean belowThreshold = available * 100 < allocation * dependencies.credits().lowCreditPercent();
    if (allocation > 0 && belowThreshold && !period.equals(after.lowCreditsPeriod())) {
      events.add(new LowCredits(period, available, allocation, now()));
    }
    if (available == 0 && !after.exhausted()) {
      events.add(new CreditsExhausted(period, now()));
    }
    return events;
  }

  // ---- sub-organizations ----

  private ReplyEffect<Event, State> forwardToParent(State state, Command command) {
    RecipientRef<Command> parent = dependencies.orgs().apply(state.profile().parentOrgId());
    return Effect().none().thenRun(after -> parent.tell(command)).thenNoReply();
  }

  private Reply drawsOnParent(State state) {
    return invalid("organization " + orgId + " draws on the credits of its parent " + state.profile().parentOrgId());
  }

  // ---- helpers ----

  private CurrentBalance currentBalance(State state) {
    return new CurrentBalance(state.balance(orgId, unlimited(state), dependencies.credits().lowCreditPercent()));
  }

  private boolean unlimited(State state) {
    return dependencies.catalog().tier(state.profile().tier()).map(tier -> tier.unlimited()).orElse(false);
  }

  /** The pool itself may settle any of its reservations; a sub-organization only its own. */
  private static boolean belongsTo(Reservation reservation, Settlement settled, String forOrgId) {
    if (forOrgId == null) {
      return true;
    }
    String owner = reservation != null ? reservation.forOrgId() : settled.forOrgId();
    return forOrgId.equals(owner);
  }

  private static Rejected otherOrganizations(String reservationId) {
    return new Rejected(Reason.CONFLICT, "reservation " + reservationId + " belongs to another organization");
  }

  private static boolean validId(String value) {
    return value != null && !value.isBlank() && value.length() <= MAX_ID_LENGTH;
  }

  private static boolean validOptionalId(String value) {
    return value == null || value.length() <= MAX_ID_LENGTH;
  }

  private Reply notOpen() {
    return new Rejected(Reason.NOT_FOUND, "organization " + orgId + " does not exist");
  }

  private static Rejected invalid(String message) {
    return new Rejected(Reason.INVALID, message);
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private Instant now() {
    return dependencies.clock().instant();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
