package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A conversation whose organization is too busy to answer its reservation in time waits and asks
 * again (the reservation id makes that harmless); it does not apologize and hand the customer to people.
 * Nor does it when its agent's entity does not answer for the configuration (moving after a node loss).
 */
class SessionCreditBackpressureTest {
  private static final Duration ASK_TIMEOUT = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  private final LayercakeSettings defaults = SettingsLoader.load(java.util.Map.of());
  private final TestProbe<OrgEntity.Command> org = testKit.createTestProbe();
  private final List<String> sent = new CopyOnWriteArrayList<>();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aReservationThatGetsNoAnswerInTimeIsAskedAgainAndTheTurnGoesOn() {
    InboundMessage message = new InboundMessage("org-1", "agent-1", "webchat", "visitor-1", "m-1", "Are you open today?");
    ActorRef<SessionCommand> session = testKit.spawn(
        SessionEntity.create(message.key().sessionId(), dependencies(defaults.sessions().withCreditWait(WAIT))));
    TestProbe<SessionReply> received = testKit.createTestProbe();

    session.tell(new SessionCommand.Receive(message, received.ref()));

    received.expectMessage(WAIT, new SessionReply.Received(message.key().sessionId(), false));
    OrgEntity.Reserve unanswered = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    OrgEntity.Reserve again = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    assertThat(again.reservationId()).isEqualTo(unanswered.reservationId());
    // granted as an organization low on credits grants: the turn's own estimate, so the turn commits it
    again.replyTo().tell(new OrgEntity.Reserved(again.reservationId(), again.atLeast(), Instant.now().plusSeconds(300)));
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), commit.actualCost(), 0));

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(sent).containsExactly("Answer to: Are you open today?");
      return null;
    });
    assertThat(commit.reservationId()).isEqualTo(unanswered.reservationId());
    assertThat(commit.breakdown()).extracting(CostLine::credits).allMatch(credits -> credits > 0);
  }

  @Test
  void aTurnStillFailsOpenOnceItsOrganizationStaysSilentForTheWholeCreditWait() {
    InboundMessage message = new InboundMessage("org-1", "agent-1", "webchat", "visitor-2", "m-2", "Hello?");
    ActorRef<SessionCommand> session = testKit.spawn(SessionEntity.create(
        message.key().sessionId(), dependencies(defaults.sessions().withCreditWait(ASK_TIMEOUT.multipliedBy(3)))));
    TestProbe<SessionReply> received = testKit.createTestProbe();

    session.tell(new SessionCommand.Receive(message, received.ref()));

    received.expectMessageClass(SessionReply.Received.class, WAIT);
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(sent).containsExactly(SessionEntity.APOLOGY);
      return null;
    });
    assertThat(org.receiveSeveralMessages(3, WAIT)).allMatch(OrgEntity.Reserve.class::isInstance);
  }

  @Test
  void anAgentThatDoesNotAnswerInTimeIsAskedAgainAndTheTurnGoesOn() {
    InboundMessage message = new InboundMessage("org-1", "agent-moving", "webchat", "visitor-3", "m-3", "Do you fix boilers?");
    TestProbe<AgentEntity.Command> agent = testKit.createTestProbe();
    ActorRef<SessionCommand> session = testKit.spawn(SessionEntity.create(message.key().sessionId(),
        ScriptedConversations.dependencies(testKit, defaults.sessions().withCreditWait(WAIT), org.ref(), agent.ref(), sent,
            ASK_TIMEOUT)));

    ScriptedConversations.receive(testKit, session, message, WAIT);

    agent.expectMessageClass(AgentEntity.Get.class, WAIT); // left unanswered, as by an entity whose node was lost
    AgentEntity.Get again = agent.expectMessageClass(AgentEntity.Get.class, WAIT);
    again.replyTo().tell(new AgentEntity.Agent("agent-moving", Agents.plumber("org-1"), AgentEntity.Status.ACTIVE, 1));
    OrgEntity.Reserve reserve = org.expectMessageClass(OrgEntity.Reserve.class, WAIT);
    reserve.replyTo().tell(new OrgEntity.Reserved(reserve.reservationId(), reserve.atLeast(), Instant.now().plusSeconds(300)));
    OrgEntity.Commit commit = org.expectMessageClass(OrgEntity.Commit.class, WAIT);
    commit.replyTo().tell(new OrgEntity.Committed(commit.reservationId(), commit.actualCost(), 0));

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(sent).containsExactly("Answer to: Do you fix boilers?");
      return null;
    });
  }

  @Test
  void anAgentSilentForTheWholeWaitFailsOpen() {
    InboundMessage message = new InboundMessage("org-1", "agent-gone", "webchat", "visitor-4", "m-4", "Hello?");
    TestProbe<AgentEntity.Command> agent = testKit.createTestProbe();
    ActorRef<SessionCommand> session = testKit.spawn(SessionEntity.create(message.key().sessionId(),
        ScriptedConversations.dependencies(testKit, defaults.sessions().withCreditWait(ASK_TIMEOUT.multipliedBy(3)),
            org.ref(), agent.ref(), sent, ASK_TIMEOUT)));

    ScriptedConversations.receive(testKit, session, message, WAIT);

    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertThat(sent).containsExactly(SessionEntity.APOLOGY);
      return null;
    });
    assertThat(agent.receiveSeveralMessages(2, WAIT)).allMatch(AgentEntity.Get.class::isInstance);
    org.expectNoMessage(Duration.ofMillis(100));
  }

  private SessionEntity.Dependencies dependencies(io.layercake.config.SessionSettings sessions) {
    return ScriptedConversations.dependencies(testKit, sessions, org.ref(), sent, ASK_TIMEOUT);
  }
}
