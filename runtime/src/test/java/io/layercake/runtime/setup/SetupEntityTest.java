package io.layercake.runtime.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.ModelFailure;
import io.layercake.runtime.setup.SetupEntity.Command;
import io.layercake.runtime.setup.SetupEntity.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The setup entity's turn: files written as events, credits reserved once per turn and settled, restarts. */
class SetupEntityTest {
  private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());

  private final RecordingCredits credits = new RecordingCredits();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aTurnWritesItsFilesThenAnswersAndIsChargedOnce() {
    EventSourcedBehaviorTestKit<Command, Event, SetupState> kit = kit("s1", new GuidedInterviewer());
    kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Start("org-1", "user:u1", "Maria Keller", AgentConfig.ModelChoice.LOCAL, replyTo));

    var answered = kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Say("Piet's Plumbing", "Maria", replyTo));

    SetupState state = ((SetupEntity.Setup) answered.reply()).state();
    assertThat(state.current(SetupFiles.CONFIG)).isPresent();
    assertThat(state.messages()).extracting(SetupState.Message::role)
        .containsExactly(SetupState.Role.AGENT, SetupState.Role.OWNER, SetupState.Role.AGENT);
    assertThat(state.messages().get(2).credits()).isEqualTo(1);
    assertThat(credits.calls).containsExactly("reserve setup:s1:1 1", "commit setup:s1:1 1 [setup_reply=1]");
    assertThat(kit.restart().state()).isEqualTo(state);
  }

  @Test
  void noCreditsMeansNoModelCallAndNoCharge() {
    credits.refuse = true;
    EventSourcedBehaviorTestKit<Command, Event, SetupState> kit = kit("s2", request -> {
      throw new AssertionError("the model must not be asked");
    });
    kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Start("org-1", "user:u1", "Maria", AgentConfig.ModelChoice.LOCAL, replyTo));

    var answered = kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Say("Piet's Plumbing", "Maria", replyTo));

    SetupState state = ((SetupEntity.Setup) answered.reply()).state();
    assertThat(state.messages().get(2).text()).contains("no credits left");
    assertThat(state.messages().get(2).credits()).isZero();
    assertThat(credits.calls).containsExactly("reserve setup:s2:1 1");
  }

  @Test
  void aModelThatFailsReleasesTheReservationAndTheOwnerCanWriteAgain() {
    EventSourcedBehaviorTestKit<Command, Event, SetupState> kit = kit("s3", request -> CompletableFuture.failedFuture(
        new ModelFailure(ModelFailure.Kind.TIMEOUT, "no answer in time", null)));
    kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Start("org-1", "user:u1", "Maria", AgentConfig.ModelChoice.LOCAL, replyTo));

    var answered = kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Say("Piet's Plumbing", "Maria", replyTo));

    assertThat(((SetupEntity.Setup) answered.reply()).state().messages().get(2).text()).contains("write your last message again");
    assertThat(credits.calls).containsExactly("reserve setup:s3:1 1", "release setup:s3:1");
  }

  @Test
  void aTurnCutShortByARestartRunsAgainUnderTheSameReservation() {
    java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean(true);
    GuidedInterviewer interviewer = new GuidedInterviewer();
    EventSourcedBehaviorTestKit<Command, Event, SetupState> kit = kit("s5",
        request -> hang.get() ? new CompletableFuture<>() : interviewer.complete(request));
    kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Start("org-1", "user:u1", "Maria", AgentConfig.ModelChoice.LOCAL, replyTo));
    var asker = testKit.<SetupEntity.Reply>createTestProbe();
    kit.runCommand(new SetupEntity.Say("Piet's Plumbing", "Maria", asker.ref()));
    assertThat(kit.getState().awaitingAnswer()).isTrue();

    hang.set(false);
    kit.restart();

    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
      assertThat(kit.getState().awaitingAnswer()).isFalse();
      return null;
    });
    assertThat(kit.getState().current(SetupFiles.CONFIG)).isPresent();
    assertThat(credits.calls).containsExactly(
        "reserve setup:s5:1 1", "reserve setup:s5:1 1", "commit setup:s5:1 1 [setup_reply=1]");
  }

  @Test
  void aHandEditIsAVersionByAPersonAndUnknownFilesAreRefused() {
    EventSourcedBehaviorTestKit<Command, Event, SetupState> kit = kit("s4", new GuidedInterviewer());
    kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.Start("org-1", "user:u1", "Maria", AgentConfig.ModelChoice.LOCAL, replyTo));

    var edited = kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.EditFile("kb/faq.md", "# FAQ", "Maria", replyTo));
    var again = kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.EditFile("kb/faq.md", "# FAQ", "Maria", replyTo));
    var unknown = kit.<SetupEntity.Reply>runCommand(replyTo -> new SetupEntity.EditFile("../secrets", "x", "Maria", replyTo));

    assertThat(edited.event()).isEqualTo(new SetupEntity.FileWritten("kb/faq.md", "# FAQ", SetupState.Author.PERSON, "Maria", NOW));
    assertThat(again.hasNoEvents()).as("the same content is no new version").isTrue();
    assertThat(unknown.reply()).isInstanceOf(SetupEntity.Rejected.class);
    assertThat(unknown.hasNoEvents()).isTrue();
  }

  private EventSourcedBehaviorTestKit<Command, Event, SetupState> kit(String setupId, LanguageModel model) {
    return EventSourcedBehaviorTestKit.create(testKit.system(), SetupEntity.create(setupId, new SetupEntity.Dependencies(
        model, credits, SystemKnowledge.bundled(), 1, Duration.ofSeconds(5), TestSettings.entities(100), new ManualClock(NOW))));
  }

  /** The organization's side, as calls in order; it can refuse reservations. */
  private static final class RecordingCredits implements SetupCredits {
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;

    @Override
    public CompletionStage<OrgEntity.Reply> reserve(String orgId, String reservationId, long amount, String setupId) {
      calls.add("reserve " + reservationId + " " + amount);
      return CompletableFuture.completedFuture(refuse
          ? new OrgEntity.Rejected(OrgEntity.Reason.CONFLICT, "insufficient credits")
          : new OrgEntity.Reserved(reservationId, amount, NOW.plusSeconds(60), true));
    }

    @Override
    public CompletionStage<OrgEntity.Reply> commit(String orgId, String reservationId, long cost, List<CostLine> breakdown) {
      calls.add("commit " + reservationId + " " + cost + " " + breakdown.stream().map(line -> line.item() + "=" + line.credits()).toList());
      return CompletableFuture.completedFuture(new OrgEntity.Committed(reservationId, cost, 0));
    }

    @Override
    public CompletionStage<OrgEntity.Reply> release(String orgId, String reservationId) {
      calls.add("release " + reservationId);
      return CompletableFuture.completedFuture(new OrgEntity.Released(reservationId, null));
    }
  }
}
