package io.layercake.persistence.replays;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.AgentSettings;
import io.layercake.config.Costs;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.knowledge.JdbcKnowledgeDocuments;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.PromptAssembler;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.replay.CandidateTurns;
import io.layercake.runtime.replay.Replay;
import io.layercake.runtime.replay.ReplayRunner;
import io.layercake.runtime.replay.ReplayTurn;
import io.layercake.runtime.session.RecordedTurn;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replays kept in H2 and PostgreSQL: a runner that dies mid-turn is followed by one that goes on
 * from the first turn not recorded, each turn recorded once and its credits counted once (the dead
 * runner's late answer changes nothing); a budget skips what no longer fits; a cancelled replay
 * skips what is left.
 */
@ExtendWith(FreshDatabases.Extension.class)
class ReplayRunnerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Costs COSTS = new Costs(2, 1, Map.of(), 1, 1);
  private static final AgentSettings.Replays FAST = new AgentSettings.Replays(Duration.ofMillis(50), 4, 3, 500, 1_000);

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aReplayGoesOnAfterItsRunnerDiedEachTurnCountedOnce(TestDatabases kind, FreshDatabases databases, @TempDir Path dir)
      throws InterruptedException {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      JdbcReplays replays = new JdbcReplays(database);
      HeldModel model = new HeldModel("second");
      CandidateTurns candidates = candidates(testKit, database, model);
      Replay replay = join(replays.create(replay("rpl_1", 100), List.of(turn(1, "first"), turn(2, "second"), turn(3, "third"))));
      assertThat(replay.status()).isEqualTo(Replay.Status.QUEUED);
      assertThat(replay.progress().total()).isEqualTo(3);

      ActorRef<ReplayRunner.Command> first = testKit.spawn(ReplayRunner.create(replays, candidates, FAST, Clock.systemUTC()));
      assertThat(model.held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the second turn's model call started").isTrue();
      awaitAssert(testKit, () -> assertThat(join(replays.turns("rpl_1", 0, 10))).extracting(ReplayTurn::status).as(
          "the replay's turns run together: the third is answered while the second waits").containsExactly(
          ReplayTurn.Status.DONE, ReplayTurn.Status.PENDING, ReplayTurn.Status.DONE));
      testKit.stop(first, WAIT);
      ActorRef<ReplayRunner.Command> second = testKit.spawn(ReplayRunner.create(replays, candidates, FAST, Clock.systemUTC()));
      awaitReplay(testKit, replays, "rpl_1", found -> assertThat(found.status()).isEqualTo(Replay.Status.DONE));
      model.release.countDown();
      model.waiting.shutdown();
      // the dead runner's answer to the second turn arrives after the next runner recorded it: nothing changes
      awaitAssert(testKit, () -> assertThat(model.answered.get()).isEqualTo(4));

      Replay done = join(replays.replay("rpl_1")).orElseThrow();
      assertThat(done.progress()).isEqualTo(new Replay.Progress(3, 3, 0, 0));
      assertThat(done.spent()).as("three replies of 2 credits, the second counted once").isEqualTo(6);
      assertThat(done.finishedAt()).isNotNull();
      assertThat(done.summary().changedAnswers()).isEqualTo(3);
      assertThat(done.summary().creditDifference()).isEqualTo(6 - 3);
      List<ReplayTurn> turns = join(replays.turns("rpl_1", 0, 10));
      assertThat(turns).extracting(turn -> turn.candidate().reply())
          .containsExactly("Answer to: first", "Answer to: second", "Answer to: third");
      assertThat(turns.get(1).recorded().window()).extracting(ConversationMessage::text).containsExactly("second");
      assertThat(join(replays.turns("rpl_1", 1, 1))).extracting(ReplayTurn::seq).containsExactly(2);
      testKit.stop(second, WAIT);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aTurnStartsOnlyWhileItFitsTheBudgetAndACancelledReplaySkipsTheRest(
      TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      JdbcReplays replays = new JdbcReplays(database);
      join(replays.create(replay("rpl_budget", 5), List.of(turn(1, "a"), turn(2, "b"), turn(3, "c"))));
      join(replays.create(replay("rpl_cancel", 100), List.of(turn(1, "x"), turn(2, "y"))));
      assertThat(join(replays.cancel("rpl_cancel", Instant.now()))).isTrue();
      assertThat(join(replays.cancel("rpl_cancel", Instant.now()))).as("once").isFalse();
      assertThat(join(replays.cancel("rpl_unknown", Instant.now()))).isFalse();

      testKit.spawn(ReplayRunner.create(replays, candidates(testKit, database, new HeldModel("never")), FAST, Clock.systemUTC()));
      awaitReplay(testKit, replays, "rpl_budget", found -> assertThat(found.status()).isEqualTo(Replay.Status.DONE));

      Replay budgeted = join(replays.replay("rpl_budget")).orElseThrow();
      assertThat(budgeted.progress()).isEqualTo(new Replay.Progress(3, 2, 1, 0));
      assertThat(budgeted.spent()).isEqualTo(4);
      assertThat(join(replays.turns("rpl_budget", 2, 1)).get(0).note())
          .isEqualTo("the replay's budget of 5 credits is spent (4 used)");
      Replay cancelled = join(replays.replay("rpl_cancel")).orElseThrow();
      assertThat(cancelled.status()).isEqualTo(Replay.Status.CANCELLED);
      assertThat(cancelled.progress()).isEqualTo(new Replay.Progress(2, 0, 2, 0));
      assertThat(cancelled.spent()).isZero();
      assertThat(join(replays.ofAgent("agent-1", 10))).extracting(Replay::replayId).containsExactlyInAnyOrder("rpl_budget", "rpl_cancel");
      assertThat(join(replays.ofAgent("agent-2", 10))).isEmpty();
    } finally {
      testKit.shutdownTestKit();
    }
  }

  /** Answers "Answer to: ..." the customer's message; the first call for {@code holdOn} waits until released. */
  private static final class HeldModel implements LanguageModel {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger answered = new AtomicInteger();
    private final String holdOn;
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    /** The held call waits here, off the actor system's threads. */
    private final java.util.concurrent.ExecutorService waiting = java.util.concurrent.Executors.newSingleThreadExecutor();

    HeldModel(String holdOn) {
      this.holdOn = holdOn;
    }

    @Override
    public CompletionStage<ModelReply> complete(io.layercake.runtime.llm.ModelRequest request) {
      String question = ConversationMessage.lastFromCustomer(request.prompt().messages());
      ModelReply reply = new ModelReply("Answer to: " + question, List.of(), ModelReply.TokenUsage.NONE, "scripted", "s");
      if (question.equals(holdOn) && seen.putIfAbsent(question, true) == null) {
        held.countDown();
        return CompletableFuture.runAsync(() -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, waiting).thenApply(released -> {
          answered.incrementAndGet();
          return reply;
        });
      }
      answered.incrementAndGet();
      return CompletableFuture.completedFuture(reply);
    }
  }

  private static CandidateTurns candidates(ActorTestKit testKit, ApplicationDatabase database, LanguageModel model) {
    AgentResponder responder = new AgentResponder(null, new JdbcKnowledgeDocuments(database, Clock.systemUTC()),
        new PromptAssembler(SystemKnowledge.bundled(), 60_000), model, Duration.ofSeconds(30), testKit.system().executionContext());
    return new CandidateTurns(responder, COSTS, 3, Clock.systemUTC(), testKit.system().executionContext());
  }

  private static Replay replay(String replayId, long budget) {
    AgentConfig candidate = new AgentConfig("org-1", "Piet", "You answer for a plumber.", List.of(), List.of(),
        AgentConfig.Autonomy.AUTONOMOUS, List.of(), new AgentConfig.ModelChoice("openai", "gpt-4o-mini", 0), null, null,
        List.of("en"), null);
    return new Replay(replayId, "org-1", "agent-1", "test", Instant.now(), Replay.Status.QUEUED, candidate, "test turns", budget, 0,
        null, new Replay.Progress(0, 0, 0, 0), new Replay.Summary(0, 0, 0, 0, 0, 0, 0, 1.0));
  }

  private static RecordedTurn turn(int number, String text) {
    return new RecordedTurn("s-1", number, "webchat", List.of("m-" + number), text,
        List.of(new ConversationMessage(ConversationMessage.Role.CUSTOMER, text)), RecordedTurn.Outcome.REPLIED, "Recorded " + text,
        List.of(), false, 1, Instant.now());
  }

  private static void awaitReplay(ActorTestKit testKit, JdbcReplays replays, String replayId,
      java.util.function.Consumer<Replay> assertion) {
    awaitAssert(testKit, () -> assertion.accept(join(replays.replay(replayId)).orElseThrow()));
  }

  private static void awaitAssert(ActorTestKit testKit, Runnable assertion) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(WAIT, () -> {
      assertion.run();
      return null;
    });
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }
}
