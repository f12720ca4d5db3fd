package io.layercake.persistence.testing;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.conversations.Conversations;
import io.layercake.persistence.credits.CreditLedger;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.knowledge.JdbcKnowledgeDocuments;
import io.layercake.runtime.ShardedEntities;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.cluster.ClusterFormation;
import io.layercake.runtime.health.ClusterMemberUpCheck;
import io.layercake.runtime.health.ReadinessCheck.CheckResult;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.knowledge.SystemKnowledge;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

/**
 * A node of one running conversations for real: org, agent and session entities on the journal,
 * the credit ledger and conversation projections, the waker; the model and the channel are the
 * test's.
 */
public final class ConversationNode implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final ActorTestKit testKit;
  private final CreditLedger ledger;
  private final Conversations conversations;
  private final AgentDirectory agents;
  private final ApplicationDatabase database;

  private ConversationNode(
      ActorTestKit testKit, CreditLedger ledger, Conversations conversations, AgentDirectory agents, ApplicationDatabase database) {
    this.testKit = testKit;
    this.ledger = ledger;
    this.conversations = conversations;
    this.agents = agents;
    this.database = database;
  }

  public static ConversationNode start(LayercakeSettings settings, ScriptedModel model, RecordingChannel channel) {
    ActorTestKit testKit = ActorTestKit.create("layercake", TestNodes.migratedPekkoConfig(settings));
    ClusterFormation.join(testKit.system(), settings.cluster());
    ShardedEntities.init(testKit.system(), settings);
    ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
    AgentDirectory agents = new AgentDirectory(testKit.system(), Duration.ofSeconds(5));
    AgentResponder responder = new AgentResponder(
        agents, new JdbcKnowledgeDocuments(database, Clock.systemUTC()),
        new PromptAssembler(SystemKnowledge.bundled(), settings.agents().knowledgeCharacterCap()),
        model, settings.llm().timeout(), testKit.system().executionContext());
    ShardedEntities.initSessions(testKit.system(), settings, responder, channel, io.layercake.runtime.metrics.RuntimeMetrics.inMemory(),
        new io.layercake.runtime.bookings.Calendars(testKit.system(), settings.entities().askTimeout()),
        new io.layercake.persistence.outreach.JdbcOutreach(new io.layercake.persistence.outreach.JdbcOutreachSettings(database),
            new io.layercake.persistence.outreach.JdbcFollowupSequences(database),
            new io.layercake.persistence.outreach.JdbcReviewLinks(database, settings.http()::publicBaseUrl)));
    CreditLedger ledger = CreditLedger.start(testKit.system(), settings, database);
    Conversations conversations = Conversations.start(testKit.system(), settings, database);
    io.layercake.persistence.bookings.CalendarProjection.init(testKit.system(), database);
    ClusterMemberUpCheck memberUp = new ClusterMemberUpCheck(testKit.system());
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      CheckResult result = memberUp.check().toCompletableFuture().join();
      if (!result.ok()) {
        throw new AssertionError(result.detail());
      }
      return null;
    });
    return new ConversationNode(testKit, ledger, conversations, agents, database);
  }

  public org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return testKit.system();
  }

  public CreditLedger ledger() {
    return ledger;
  }

  public Conversations conversations() {
    return conversations;
  }

  public AgentDirectory agents() {
    return agents;
  }

  public io.layercake.runtime.bookings.Calendars calendars() {
    return new io.layercake.runtime.bookings.Calendars(testKit.system(), Duration.ofSeconds(5));
  }

  public ApplicationDatabase database() {
    return database;
  }

  /** Reads this node's journal as operators do. */
  public io.layercake.persistence.journal.JournalInspector journal() {
    return new io.layercake.persistence.journal.JournalInspector(testKit.system(), database);
  }

  /** Retries {@code assertion} until it passes or {@link #TIMEOUT} runs out. */
  public void eventually(Runnable assertion) {
    testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      assertion.run();
      return null;
    });
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
