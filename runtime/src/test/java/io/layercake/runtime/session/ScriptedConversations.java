package io.layercake.runtime.session;

import io.layercake.config.LayercakeSettings;
import io.layercake.config.SessionSettings;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.SendOutcome;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.knowledge.StoredDocument;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.metrics.RuntimeMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What a conversation needs, scripted for tests of the entity on its own: the plumber agent of
 * org-1, a model that answers "Answer to: " and the customer's last message at once, a channel that
 * accepts every send (recording its text), and the organization the test plays with a probe.
 */
final class ScriptedConversations {
  private ScriptedConversations() {}

  static SessionEntity.Dependencies dependencies(
      ActorTestKit testKit, SessionSettings sessions, ActorRef<OrgEntity.Command> org, List<String> sent, Duration askTimeout) {
    AgentConfig config = Agents.plumber("org-1");
    ActorRef<AgentEntity.Command> agent = testKit.spawn(Behaviors.receiveMessage(command -> {
      if (command instanceof AgentEntity.Get get) {
        get.replyTo().tell(new AgentEntity.Agent("agent-1", config, AgentEntity.Status.ACTIVE, 1));
      }
      return Behaviors.same();
    }));
    return dependencies(testKit, sessions, org, agent, sent, askTimeout);
  }

  /** As above, with {@code agent} answering for every agent's configuration. */
  static SessionEntity.Dependencies dependencies(ActorTestKit testKit, SessionSettings sessions,
      ActorRef<OrgEntity.Command> org, ActorRef<AgentEntity.Command> agent, List<String> sent, Duration askTimeout) {
    LayercakeSettings defaults = io.layercake.config.SettingsLoader.load(java.util.Map.of());
    AgentResponder responder = new AgentResponder(null, new io.layercake.runtime.knowledge.NoDocuments(),
        new PromptAssembler(SystemKnowledge.bundled(), defaults.agents().knowledgeCharacterCap()),
        request -> CompletableFuture.completedFuture(new ModelReply(
            "Answer to: " + request.prompt().messages().get(request.prompt().messages().size() - 1).text(), List.of(),
            new ModelReply.TokenUsage(10, 5), "scripted", "scripted-1")),
        Duration.ofSeconds(5), testKit.system().executionContext());
    ChannelPort channel = outbound -> {
      sent.add(outbound.text());
      return CompletableFuture.completedFuture(new SendOutcome.Accepted("p-" + sent.size()));
    };
    return new SessionEntity.Dependencies(sessions, TestSettings.entities(100),
        defaults.catalog().costs(), agentId -> agent, orgId -> org, responder, channel, askTimeout,
        Clock.systemUTC(), RuntimeMetrics.inMemory(), io.layercake.runtime.bookings.BookingDesk.NONE,
        io.layercake.runtime.outreach.OutreachPolicy.NONE);
  }

  /** A webchat message from {@code contact} to the plumber agent of org-1. */
  static InboundMessage webchatMessage(String contact, String messageId, String text) {
    return new InboundMessage("org-1", "agent-1", "webchat", contact, messageId, text);
  }

  /** Tells the conversation about {@code message} and waits until it is recorded as new. */
  static void receive(ActorTestKit testKit, ActorRef<SessionCommand> session, InboundMessage message, Duration within) {
    TestProbe<SessionReply> received = testKit.createTestProbe();
    session.tell(new SessionCommand.Receive(message, received.ref()));
    received.expectMessage(within, new SessionReply.Received(message.key().sessionId(), false));
  }
}
