package io.layercake.runtime.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.ManualClock;
import io.layercake.runtime.TestSettings;
import io.layercake.runtime.agent.AgentEntity.Agent;
import io.layercake.runtime.agent.AgentEntity.Command;
import io.layercake.runtime.agent.AgentEntity.Event;
import io.layercake.runtime.agent.AgentEntity.Rejected;
import io.layercake.runtime.agent.AgentEntity.Reply;
import io.layercake.runtime.agent.AgentEntity.State;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentEntityTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final ActorTestKit testKit = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
  private EventSourcedBehaviorTestKit<Command, Event, State> kit;

  @BeforeEach
  void start() {
    kit = EventSourcedBehaviorTestKit.create(
        testKit.system(), AgentEntity.create("agent-1", TestSettings.entities(100), new ManualClock(NOW)));
    kit.clear();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void createsAValidAgentOnceAndRecordsEveryChange() {
    AgentConfig config = Agents.plumber("org-1");

    var created = kit.<Reply>runCommand(replyTo -> new AgentEntity.Create(config, replyTo));
    var again = kit.<Reply>runCommand(replyTo -> new AgentEntity.Create(config, replyTo));
    AgentConfig renamed = new AgentConfig(config.orgId(), "Piet", config.persona(), config.faq(), config.tools(),
        config.autonomy(), config.knowledgeTags(), config.model(), config.unavailableMessage(), config.greeting(),
        config.languages(), config.businessHours());
    var updated = kit.<Reply>runCommand(replyTo -> new AgentEntity.Update(renamed, replyTo));
    var paused = kit.<Reply>runCommand(AgentEntity.Pause::new);

    assertThat(created.event()).isEqualTo(new AgentEntity.AgentCreated(config, NOW));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(updated.event()).isEqualTo(new AgentEntity.AgentReconfigured(renamed, NOW));
    assertThat(paused.reply()).isEqualTo(new Agent("agent-1", renamed, AgentEntity.Status.PAUSED, 3));
    assertThat(kit.restart().state()).isEqualTo(new State(renamed, AgentEntity.Status.PAUSED, 3));
  }

  @Test
  void refusesAnInvalidConfigurationWithEveryProblemAndPersistsNothing() {
    AgentConfig plumber = Agents.plumber("org-1");
    AgentConfig broken = new AgentConfig("org-1", " ", null, List.of(new AgentConfig.FaqEntry("Q?", "")),
        List.of("launch_rockets"), null, List.of(), new AgentConfig.ModelChoice("skynet", "t-800", 0.5),
        null, null, List.of(), plumber.businessHours());

    var result = kit.<Reply>runCommand(replyTo -> new AgentEntity.Create(broken, replyTo));

    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply()).isInstanceOf(Rejected.class);
    assertThat(((Rejected) result.reply()).problems()).containsExactly(
        "name must not be empty",
        "faq[0] needs a question and an answer",
        "unknown tool launch_rockets (known: [book_appointment, capture_lead, handoff_to_human, schedule_followup, start_sequence])",
        "unknown model provider skynet (known: [anthropic, local, openai])");
  }

  @Test
  void anArchivedAgentStaysReadableButChangesNoMore() {
    kit.<Reply>runCommand(replyTo -> new AgentEntity.Create(Agents.plumber("org-1"), replyTo));

    var archived = kit.<Reply>runCommand(AgentEntity.Archive::new);
    var resume = kit.<Reply>runCommand(AgentEntity.Resume::new);

    assertThat(((Agent) archived.reply()).status()).isEqualTo(AgentEntity.Status.ARCHIVED);
    assertThat(resume.hasNoEvents()).isTrue();
    assertThat(resume.reply()).isEqualTo(new Rejected(AgentEntity.Reason.CONFLICT, List.of("agent agent-1 is archived")));
    assertThat(((Agent) kit.<Reply>runCommand(AgentEntity.Get::new).reply()).status()).isEqualTo(AgentEntity.Status.ARCHIVED);
  }

  @Test
  void missingFieldsAreProblemsNotCrashes() {
    AgentConfig plumber = Agents.plumber("org-1");
    kit.<Reply>runCommand(replyTo -> new AgentEntity.Create(plumber, replyTo));
    AgentConfig noOrgNoProvider = new AgentConfig(null, "X", null, null, null, null, null,
        new AgentConfig.ModelChoice(null, "m", 0), null, null, null, null);

    var update = kit.<Reply>runCommand(replyTo -> new AgentEntity.Update(noOrgNoProvider, replyTo));

    assertThat(update.hasNoEvents()).isTrue();
    assertThat(((Rejected) update.reply()).problems())
        .contains("orgId is required", "unknown model provider null (known: [anthropic, local, openai])");
  }

  @Test
  void anUnknownAgentIsNotFound() {
    var result = kit.<Reply>runCommand(AgentEntity.Get::new);

    assertThat(result.reply()).isEqualTo(new Rejected(AgentEntity.Reason.NOT_FOUND, List.of("agent agent-1 does not exist")));
  }
}
