package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What a turn writes. The common turn (a message in, one reply out) is one event: the reply carries
 * the turn's start and its settlement, because the organization charges the turn before the reply
 * is written. Charged and written stay one step for the conversation; a charge that gets no answer
 * falls back to a reply settled afterwards; a crash between the charge and the write charges the
 * same reservation again, which the organization answers without charging twice.
 */
class SessionTurnEventsTest {
  private static final Duration ASK_TIMEOUT = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private static final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());

  private final LayercakeSettings defaults = SettingsLoader.load(java.util.Map.of());
  private final TestProbe<OrgEntity.Command> org = testKit.createTestProbe();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aTurnThatOnlyRepliesIsOneEventChargedBeforeItIsWritten() {
    InboundMessage message = message("visitor-1", "m-1", "Are you open today?");
    ActorRef<SessionCommand> session = spawn(message);

    receive(session, message);
    OrgEntity.Reserve reserve = grantReservation();
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);

    assertThat(events(message)).extracting(Object::getClass).map(Class::getSimpleName)
        .containsExactly("ConversationStarted", "MessageReceived");
    assertThat(sent).isEmpty();
    charge(commit);

    awaitSent("Answer to: Are you open today?");
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(events(message)).extracting(Object::getClass).map(Class::getSimpleName)
          .containsExactly("ConversationStarted", "MessageReceived", "AgentReplied", "DeliveryUpdated");
      return null;
    });
    SessionEvent.AgentReplied replied = (SessionEvent.AgentReplied) events(message).get(2);
    assertThat(replied.started().reservationId()).isEqualTo(reserve.reservationId());
    assertThat(replied.started().messageIds()).containsExactly("m-1");
    assertThat(replied.settled().charged()).isEqualTo(commit.actualCost()).isPositive();
    assertThat(replied.settled().messageIds()).containsExactly("m-1");
    assertThat(commit.reservationId()).isEqualTo(reserve.reservationId());
    org.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aMessageArrivingWhileTheReplyIsChargedWaitsForTheChargeAndGetsTheNextTurn() {
    InboundMessage first = message("visitor-2", "m-1", "Hello?");
    InboundMessage second = message("visitor-2", "m-2", "Anyone there?");
    ActorRef<SessionCommand> session = spawn(first);
    receive(session, first);
    OrgEntity.Reserve reserve = grantReservation();
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);

    TestProbe<SessionReply> received = testKit.createTestProbe();
    session.tell(new SessionCommand.Receive(second, received.ref()));
    received.expectNoMessage(Duration.ofMillis(200));
    charge(commit);
    received.expectMessage(WAIT, new SessionReply.Received(second.key().sessionId(), false));

    OrgEntity.Reserve next = grantReservation();
    assertThat(next.reservationId()).isNotEqualTo(reserve.reservationId());
    OrgEntity.Commit nextCommit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    charge(nextCommit);
    awaitSent("Answer to: Hello?", "Answer to: Anyone there?");
  }

  @Test
  void aChargeWithoutAnAnswerStillSendsTheReplyAndSettlesItAfterwards() {
    InboundMessage message = message("visitor-3", "m-1", "Can you come on Monday?");
    ActorRef<SessionCommand> session = spawn(message);
    receive(session, message);
    OrgEntity.Reserve reserve = grantReservation();
    OrgEntity.Commit unanswered = org.expectMessageClass(OrgEntity.Commit.class, WAIT);

    awaitSent("Answer to: Can you come on Monday?");
    OrgEntity.Commit again = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(again.reservationId()).isEqualTo(unanswered.reservationId());
    assertThat(again.actualCost()).isEqualTo(unanswered.actualCost());
    charge(again);

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(events(message)).filteredOn(SessionEvent.TurnSettled.class::isInstance).singleElement()
          .extracting(event -> ((SessionEvent.TurnSettled) event).charged()).isEqualTo(again.actualCost());
      return null;
    });
    SessionEvent.AgentReplied replied = (SessionEvent.AgentReplied) events(message).stream()
        .filter(SessionEvent.AgentReplied.class::isInstance).findFirst().orElseThrow();
    assertThat(replied.started()).isNotNull();
    assertThat(replied.settled()).isNull();
  }

  @Test
  void aCrashBetweenTheChargeAndTheWriteAsksTheSameReservationAgainAndRepliesOnce() {
    InboundMessage message = message("visitor-4", "m-1", "How much is a new boiler?");
    ActorRef<SessionCommand> session = spawn(message);
    receive(session, message);
    OrgEntity.Reserve reserve = grantReservation();
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    journal.failNextPersisted(persistenceId(message));
    TestProbe<Object> watcher = testKit.createTestProbe();
    charge(commit);
    watcher.expectTerminated(session, WAIT);
    assertThat(sent).isEmpty();

    ActorRef<SessionCommand> again = spawn(message);
    OrgEntity.Reserve reserveAgain = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(reserveAgain.reservationId()).isEqualTo(reserve.reservationId());
    // What the organization answers for a reservation it already charged: the hold as it was, and the same charge.
    reserveAgain.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.atLeast(), Instant.now().plusSeconds(300), false));
    OrgEntity.Commit commitAgain = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    assertThat(commitAgain.reservationId()).isEqualTo(commit.reservationId());
    commitAgain.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), commit.actualCost(), 0));

    awaitSent("Answer to: How much is a new boiler?");
    assertThat(again).isNotNull();
    assertThat(events(message)).filteredOn(SessionEvent.AgentReplied.class::isInstance).hasSize(1);
  }

  /**
   * The next reservation the conversation asks for, granted as an organization low on credits
   * grants it: the turn's own estimate, no lease, so the turn commits its reservation.
   */
  private OrgEntity.Reserve grantReservation() {
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(reserve.atLeast()).isPositive();
    reserve.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.atLeast(), Instant.now().plusSeconds(300)));
    return reserve;
  }

  private static void charge(OrgEntity.Commit commit) {
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), commit.actualCost(), 0));
  }

  private ActorRef<SessionCommand> spawn(InboundMessage message) {
    return testKit.spawn(SessionEntity.create(message.key().sessionId(), dependencies(defaults.sessions())));
  }

  private static InboundMessage message(String contact, String messageId, String text) {
    return ScriptedConversations.webchatMessage(contact, messageId, text);
  }

  private static void receive(ActorRef<SessionCommand> session, InboundMessage message) {
    ScriptedConversations.receive(testKit, session, message, WAIT);
  }

  private static String persistenceId(InboundMessage message) {
    return SessionEntity.TYPE_KEY.name() + "|" + message.key().sessionId();
  }

  private static List<Object> events(InboundMessage message) {
    return journal.persistedInStorage(persistenceId(message));
  }

  private void awaitSent(String... replies) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(sent).containsExactly(replies);
      return null;
    });
  }

  private SessionEntity.Dependencies dependencies(io.layercake.config.SessionSettings sessions) {
    return ScriptedConversations.dependencies(testKit, sessions, org.ref(), sent, ASK_TIMEOUT);
  }
}
