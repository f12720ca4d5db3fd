package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SessionSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A conversation's credit lease, with the organization played by a probe: turns on the lease are
 * charged there without a word to the organization; the turn that leaves too little for another
 * commits the whole lease; an idle or stopping conversation gives its lease back with what its
 * turns cost; a recovered conversation confirms its lease before spending from it, and charges a
 * lapsed lease late; credits other conversations hold make a turn wait, not give up.
 */
class SessionCreditLeaseTest {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private final LayercakeSettings defaults = SettingsLoader.load(Map.of());
  private final long aiReply = defaults.catalog().costs().aiReply();
  private final TestProbe<OrgEntity.Command> org = testKit.createTestProbe();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void turnsOnALeaseAreChargedThereWithoutAskingTheOrganization() {
    ActorRef<SessionCommand> session = spawn("visitor-1", defaults.sessions());
    receive(session, message("visitor-1", "m-1", "Are you open today?"));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(reserve.atLeast()).isPositive();
    int turns = defaults.sessions().creditLeaseTurns();
    assertThat(reserve.amount()).isBetween(reserve.atLeast() * turns, reserve.atLeast() * (turns + turns / 2));
    grant(reserve, reserve.amount());
    awaitSent("Answer to: Are you open today?");

    receive(session, message("visitor-1", "m-2", "And tomorrow?"));
    awaitSent("Answer to: Are you open today?", "Answer to: And tomorrow?");
    org.expectNoMessage(QUIET);

    List<SessionEvent.AgentReplied> replies = replies("visitor-1");
    assertThat(replies).hasSize(2);
    assertThat(replies).allSatisfy(replied -> {
      assertThat(replied.started().reservationId()).isEqualTo(reserve.reservationId());
      assertThat(replied.settled().charged()).isEqualTo(aiReply);
    });
    assertThat(replies.get(1).settled().lease())
        .isEqualTo(new Lease(reserve.reservationId(), reserve.amount(), 2 * aiReply,
            List.of(new CostLine("ai_reply", 2 * aiReply)), replies.get(0).settled().lease().expiresAt()));
  }

  @Test
  void theTurnThatLeavesTooLittleForAnotherCommitsTheWholeLease() {
    ActorRef<SessionCommand> session = spawn("visitor-2", defaults.sessions());
    receive(session, message("visitor-2", "m-1", "Hello?"));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    grant(reserve, reserve.atLeast() + aiReply); // room for this turn and one more
    awaitSent("Answer to: Hello?");
    org.expectNoMessage(QUIET);

    receive(session, message("visitor-2", "m-2", "Anyone there?"));
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(commit.reservationId()).isEqualTo(reserve.reservationId());
    assertThat(commit.actualCost()).isEqualTo(2 * aiReply);
    assertThat(commit.breakdown()).containsExactly(new CostLine("ai_reply", 2 * aiReply));
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), 2 * aiReply, 0));
    awaitSent("Answer to: Hello?", "Answer to: Anyone there?");

    SessionEvent.TurnSettled closing = replies("visitor-2").get(1).settled();
    assertThat(closing.charged()).isEqualTo(aiReply);
    assertThat(closing.lease()).isNull();

    receive(session, message("visitor-2", "m-3", "Still there?"));
    assertThat(org.expectMessageClass(OrgEntity.Reserve.class, WAIT).reservationId())
        .isEqualTo(sessionId("visitor-2") + ":3");
  }

  @Test
  void anIdleLeaseGoesBackWithWhatItsTurnsCost() {
    ActorRef<SessionCommand> session = spawn("visitor-3", defaults.sessions().withCreditLeases(20, Duration.ofMillis(300)));
    receive(session, message("visitor-3", "m-1", "Can you come on Monday?"));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    grant(reserve, reserve.amount());
    awaitSent("Answer to: Can you come on Monday?");

    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(commit.reservationId()).isEqualTo(reserve.reservationId());
    assertThat(commit.actualCost()).isEqualTo(aiReply);
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), aiReply, 0));

    awaitEvent("visitor-3", new SessionEvent.LeaseReturned(reserve.reservationId(), aiReply, aiReply, null));
    receive(session, message("visitor-3", "m-2", "Or Tuesday?"));
    assertThat(org.expectMessageClass(OrgEntity.Reserve.class, WAIT).reservationId()).isNotEqualTo(reserve.reservationId());
  }

  @Test
  void aConversationThatStopsGivesItsLeaseBackFirst() {
    ActorRef<SessionCommand> session = spawn("visitor-4", defaults.sessions());
    receive(session, message("visitor-4", "m-1", "How much is a new boiler?"));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    grant(reserve, reserve.amount());
    awaitSent("Answer to: How much is a new boiler?");

    session.tell(SessionCommand.Stop.INSTANCE);
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), aiReply, 0));
    testKit.createTestProbe().expectTerminated(session, WAIT);
    assertThat(events("visitor-4")).last().isInstanceOfSatisfying(SessionEvent.LeaseReturned.class,
        returned -> assertThat(returned.charged()).isEqualTo(aiReply));
  }

  @Test
  void aRecoveredConversationSpendsFromItsLeaseOnlyOnceTheOrganizationSaysItIsOpen() {
    OrgEntity.Reserve reserve = oneTurnOnALeaseThenACrash("visitor-5");
    OrgEntity.Reserve confirm = recoveredWithAMessage("visitor-5");
    assertThat(confirm.reservationId()).isEqualTo(reserve.reservationId());
    confirm.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.amount(), Instant.now().plusSeconds(300), true));
    awaitSent("Answer to: Hello?", "Answer to: And tomorrow?");
    org.expectNoMessage(QUIET);
    assertThat(replies("visitor-5").get(1).settled().lease().spent()).isEqualTo(2 * aiReply);
  }

  @Test
  void aRecoveredConversationWhoseLeaseWasCommittedMeanwhileCommitsAgainAndLearnsItsShare() {
    OrgEntity.Reserve reserve = oneTurnOnALeaseThenACrash("visitor-6");
    OrgEntity.Reserve confirm = recoveredWithAMessage("visitor-6");
    // A turn that crashed after its commit: the organization charged the lease already (for both turns).
    confirm.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.amount(), Instant.now().plusSeconds(300), false));
    OrgEntity.Commit asked = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(asked.actualCost()).as("what the conversation recorded: one turn").isEqualTo(aiReply);
    asked.replyTo().tell(new OrgEntity.Committed(reserve.reservationId(), 2 * aiReply, 0));
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(commit.actualCost()).isEqualTo(2 * aiReply);
    commit.replyTo().tell(new OrgEntity.Committed(reserve.reservationId(), 2 * aiReply, 0));
    awaitSent("Answer to: Hello?", "Answer to: And tomorrow?");

    SessionEvent.TurnSettled settled = replies("visitor-6").get(1).settled();
    assertThat(settled.charged()).isEqualTo(aiReply);
    assertThat(settled.lease()).isNull();
  }

  @Test
  void aRecoveredConversationWhoseLeaseWentBackIdleBeforeACrashChargesItsNextTurnOnANewReservation() {
    OrgEntity.Reserve reserve = oneTurnOnALeaseThenACrash("visitor-9");
    OrgEntity.Reserve confirm = recoveredWithAMessage("visitor-9");
    // The idle return was committed, but the node died before the conversation recorded it.
    confirm.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.amount(), Instant.now().plusSeconds(300), false));
    OrgEntity.Commit asked = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(asked.actualCost()).isEqualTo(aiReply);
    asked.replyTo().tell(new OrgEntity.Committed(reserve.reservationId(), aiReply, 0));

    OrgEntity.Reserve renewed = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(renewed.reservationId()).startsWith(sessionId("visitor-9") + ":2/");
    grant(renewed, renewed.amount());
    awaitSent("Answer to: Hello?", "Answer to: And tomorrow?");
    awaitEvent("visitor-9", new SessionEvent.LeaseReturned(reserve.reservationId(), aiReply, aiReply, null));
    SessionEvent.TurnSettled settled = replies("visitor-9").get(1).settled();
    assertThat(settled.charged()).as("the second turn is charged, on the new lease, not lost in the old one").isEqualTo(aiReply);
    assertThat(settled.lease().reservationId()).isEqualTo(renewed.reservationId());
  }

  @Test
  void aLeaseWhoseReturnGotNoAnswerIsNotSpentAgainUntilTheOrganizationSaysItIsOpen() {
    ActorRef<SessionCommand> session = spawn("visitor-10", defaults.sessions().withCreditLeases(20, Duration.ofMillis(300)));
    receive(session, message("visitor-10", "m-1", "Hello?"));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    grant(reserve, reserve.amount());
    awaitSent("Answer to: Hello?");
    // The idle return reaches the organization, which commits it, but its answer is lost with its node.
    assertThat(org.expectMessageClass(OrgEntity.Commit.class, WAIT).actualCost()).isEqualTo(aiReply);
    org.expectNoMessage(ASK_TIMEOUT.plusMillis(500)); // the return's ask times out; the next try waits its backoff

    receive(session, message("visitor-10", "m-2", "And tomorrow?"));
    OrgEntity.Reserve renewed = null;
    while (renewed == null) {
      OrgEntity.Command asked = org.receiveMessage(WAIT);
      if (asked instanceof OrgEntity.Commit commit) {
        commit.replyTo().tell(new OrgEntity.Committed(reserve.reservationId(), aiReply, 0));
      } else if (asked instanceof OrgEntity.Reserve again && again.reservationId().equals(reserve.reservationId())) {
        again.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.amount(), Instant.now().plusSeconds(300), false));
      } else if (asked instanceof OrgEntity.Reserve fresh) {
        renewed = fresh;
      }
    }
    grant(renewed, renewed.amount());
    awaitSent("Answer to: Hello?", "Answer to: And tomorrow?");
    awaitEvent("visitor-10", new SessionEvent.LeaseReturned(reserve.reservationId(), aiReply, aiReply, null));
    SessionEvent.TurnSettled settled = replies("visitor-10").get(1).settled();
    assertThat(settled.charged()).isEqualTo(aiReply);
    assertThat(settled.lease().reservationId()).as("not the lease the organization had closed").isEqualTo(renewed.reservationId());
  }

  @Test
  void aLeaseThatLapsedIsChargedLateAndTheTurnReservesAnew() {
    OrgEntity.Reserve reserve = oneTurnOnALeaseThenACrash("visitor-7");
    OrgEntity.Reserve confirm = recoveredWithAMessage("visitor-7");
    confirm.replyTo().tell(new OrgEntity.Released(reserve.reservationId(), Settlement.Outcome.EXPIRED));
    OrgEntity.Commit late = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(late.reservationId()).isEqualTo(reserve.reservationId());
    assertThat(late.actualCost()).isEqualTo(aiReply);
    late.replyTo().tell(new OrgEntity.Committed(reserve.reservationId(), aiReply, 0));

    OrgEntity.Reserve renewed = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(renewed.reservationId()).startsWith(sessionId("visitor-7") + ":2/");
    grant(renewed, renewed.amount());
    awaitSent("Answer to: Hello?", "Answer to: And tomorrow?");
    awaitEvent("visitor-7", new SessionEvent.LeaseReturned(reserve.reservationId(), aiReply, aiReply, null));
    assertThat(replies("visitor-7").get(1).settled().lease().reservationId()).isEqualTo(renewed.reservationId());
  }

  @Test
  void creditsHeldByOtherConversationsMakeTheTurnWaitAndAskAgainInsteadOfGivingUp() {
    ActorRef<SessionCommand> session = spawn("visitor-8", defaults.sessions());
    receive(session, message("visitor-8", "m-1", "Are you there?"));
    OrgEntity.Reserve first = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    first.replyTo().tell(new OrgEntity.CreditsHeld(first.reservationId(), 0, 40));

    org.expectNoMessage(Duration.ofMillis(500)); // it waits before asking again
    OrgEntity.Reserve again = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(again.reservationId()).isEqualTo(first.reservationId());
    grant(again, again.atLeast());
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), aiReply, 0));
    awaitSent("Answer to: Are you there?");
    assertThat(events("visitor-8")).noneMatch(SessionEvent.CreditsRanOut.class::isInstance);
  }

  /** Turn 1 ("Hello?") charged on a lease granted in full, then the conversation stops without a word. */
  private OrgEntity.Reserve oneTurnOnALeaseThenACrash(String contact) {
    ActorRef<SessionCommand> session = spawn(contact, defaults.sessions());
    receive(session, message(contact, "m-1", "Hello?"));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    grant(reserve, reserve.amount());
    awaitSent("Answer to: Hello?");
    // The reply counts as sent once the conversation recorded it; a stop before that would send it again on recovery.
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(events(contact)).anyMatch(SessionEvent.DeliveryUpdated.class::isInstance);
      return null;
    });
    testKit.stop(session, WAIT);
    return reserve;
  }

  /** The conversation back in memory with message m-2: what it asks its organization first. */
  private OrgEntity.Reserve recoveredWithAMessage(String contact) {
    receive(spawn(contact, defaults.sessions()), message(contact, "m-2", "And tomorrow?"));
    return org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
  }

  private static void grant(OrgEntity.Reserve reserve, long amount) {
    reserve.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), amount, Instant.now().plusSeconds(300), true));
  }

  private ActorRef<SessionCommand> spawn(String contact, SessionSettings sessions) {
    return testKit.spawn(SessionEntity.create(sessionId(contact),
        ScriptedConversations.dependencies(testKit, sessions, org.ref(), sent, ASK_TIMEOUT)));
  }

  private static InboundMessage message(String contact, String messageId, String text) {
    return ScriptedConversations.webchatMessage(contact, messageId, text);
  }

  private static void receive(ActorRef<SessionCommand> session, InboundMessage message) {
    ScriptedConversations.receive(testKit, session, message, WAIT);
  }

  private static String sessionId(String contact) {
    return message(contact, "x", "x").key().sessionId();
  }

  private static List<Object> events(String contact) {
    return journal.persistedInStorage(SessionEntity.TYPE_KEY.name() + "|" + sessionId(contact));
  }

  private static List<SessionEvent.AgentReplied> replies(String contact) {
    return events(contact).stream().filter(SessionEvent.AgentReplied.class::isInstance)
        .map(SessionEvent.AgentReplied.class::cast).toList();
  }

  private static void awaitEvent(String contact, SessionEvent.LeaseReturned expected) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(events(contact)).filteredOn(SessionEvent.LeaseReturned.class::isInstance).singleElement()
          .usingRecursiveComparison().ignoringFields("at").isEqualTo(expected);
      return null;
    });
  }

  private void awaitSent(String... replies) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(sent).containsExactly(replies);
      return null;
    });
  }
}
