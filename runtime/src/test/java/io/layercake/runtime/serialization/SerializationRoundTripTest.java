package io.layercake.runtime.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.LedgerTotals;
import io.layercake.runtime.credits.Reservation;
import io.layercake.runtime.credits.Settlement;
import io.layercake.runtime.credits.OrgEntity;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every class the runtime serializes (each concrete {@link JsonSerializable} in the runtime's
 * compiled classes) has a sample here and survives a round trip through the configured
 * serializer, which must be Jackson JSON. A new class without a sample fails this test.
 */
class SerializationRoundTripTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Map<Class<?>, List<Object>> samples() {
    ActorRef<OrgEntity.Reply> replyTo = testKit.<OrgEntity.Reply>createTestProbe().ref();
    Balances balances = new Balances(1, 2, 3);
    List<CostLine> breakdown = List.of(new CostLine("llm_reply", 1), new CostLine("tool:book_appointment", 2));
    Reservation reservation = new Reservation("r1", 5, new Balances(1, 2, 2), 0, "sub-org", "session-1", "agent-1", AT, "2026-11-25", "2026-11");
    Settlement settlement = new Settlement("r0", Settlement.Outcome.COMMITTED, 5, AT, 3, 0, 0, "acme", "session-1", "agent-1");
    LedgerTotals totals = new LedgerTotals(200, 100, 50, 10, 0, 2);
    AgentConfig agent = Agents.plumber("org-1");
    ActorRef<AgentEntity.Reply> agentReplyTo = testKit.<AgentEntity.Reply>createTestProbe().ref();
    OrgEntity.Summary summary = new OrgEntity.Summary("acme", "Acme", "pro", null);
    OrgEntity.Balance balance = new OrgEntity.Balance(
        "acme", "pro", false, balances, 5, 6, 1, "2026-11", 200, false, false, totals);
    OrgEntity.State state = new OrgEntity.State(
        new OrgEntity.Profile("Acme", "pro", "agency-1"), balances, Map.of("r1", reservation), Map.of("r0", settlement),
        Map.of("cs_1", "purchase:100"), "2026-11-25", "2026-11", 200, "2026-11", false, totals);
    return Map.ofEntries(
        Map.entry(OrgEntity.Open.class, List.of(
            new OrgEntity.Open("Acme", "pro", null, replyTo), new OrgEntity.Open("Acme", "pro", "parent", replyTo))),
        Map.entry(OrgEntity.ChangeTier.class, List.of(new OrgEntity.ChangeTier("agency", "evt_1", replyTo))),
        Map.entry(OrgEntity.Grant.class, List.of(new OrgEntity.Grant("2026-11", Bucket.DAILY, 5, replyTo))),
        Map.entry(OrgEntity.AddPurchased.class, List.of(new OrgEntity.AddPurchased("cs_1", 100, replyTo))),
        Map.entry(OrgEntity.Reserve.class, List.of(new OrgEntity.Reserve("r1", 5, "session-1", "agent-1", null, replyTo))),
        Map.entry(OrgEntity.Commit.class, List.of(new OrgEntity.Commit("r1", 3, breakdown, null, replyTo))),
        Map.entry(OrgEntity.Release.class, List.of(new OrgEntity.Release("r1", null, replyTo))),
        Map.entry(OrgEntity.GetSummary.class, List.of(new OrgEntity.GetSummary(replyTo))),
        Map.entry(OrgEntity.GetBalance.class, List.of(new OrgEntity.GetBalance(replyTo))),
        Map.entry(OrgEntity.ExpireReservation.class, List.of(new OrgEntity.ExpireReservation("r1"))),
        Map.entry(OrgEntity.Opened.class, List.of(new OrgEntity.Opened("Acme", "pro", null, AT))),
        Map.entry(OrgEntity.TierChanged.class, List.of(new OrgEntity.TierChanged("pro", "agency", "evt_1", AT))),
        Map.entry(OrgEntity.Granted.class, List.of(new OrgEntity.Granted("2026-11", Bucket.MONTHLY, 200, 12, AT))),
        Map.entry(OrgEntity.CreditsPurchased.class, List.of(new OrgEntity.CreditsPurchased("cs_1", 100, AT))),
        Map.entry(OrgEntity.CreditsReserved.class, List.of(new OrgEntity.CreditsReserved(reservation, AT))),
        Map.entry(OrgEntity.ReservationRefused.class, List.of(
            new OrgEntity.ReservationRefused("r2", 5, 1, "acme", "session-1", "agent-1", AT))),
        Map.entry(OrgEntity.ReservationCommitted.class, List.of(new OrgEntity.ReservationCommitted(
            "r1", 3, new Balances(1, 2, 0), new Balances(0, 0, 2), new Balances(0, 1, 0), Balances.EMPTY, 0, 0, breakdown,
            "sub-org", "session-1",
            "agent-1", AT))),
        Map.entry(OrgEntity.ReservationReleased.class, List.of(
            new OrgEntity.ReservationReleased("r1", new Balances(1, 2, 2), Balances.EMPTY, true, "acme", "session-1", "agent-1", AT))),
        Map.entry(OrgEntity.LowCredits.class, List.of(new OrgEntity.LowCredits("2026-11", 10, 200, AT))),
        Map.entry(OrgEntity.CreditsExhausted.class, List.of(new OrgEntity.CreditsExhausted("2026-11", AT))),
        Map.entry(OrgEntity.Accepted.class, List.of(new OrgEntity.Accepted(summary))),
        Map.entry(OrgEntity.CurrentBalance.class, List.of(new OrgEntity.CurrentBalance(balance))),
        Map.entry(OrgEntity.Reserved.class, List.of(new OrgEntity.Reserved("r1", 5, AT))),
        Map.entry(OrgEntity.Insufficient.class, List.of(new OrgEntity.Insufficient("r1", 2))),
        Map.entry(OrgEntity.Committed.class, List.of(new OrgEntity.Committed("r1", 3, 0))),
        Map.entry(OrgEntity.Released.class, List.of(new OrgEntity.Released("r1", Settlement.Outcome.EXPIRED))),
        Map.entry(OrgEntity.Rejected.class, List.of(new OrgEntity.Rejected(OrgEntity.Reason.CONFLICT, "already open"))),
        Map.entry(OrgEntity.Summary.class, List.of(summary, new OrgEntity.Summary("acme", "Acme", "pro", "agency-1"))),
        Map.entry(OrgEntity.Balance.class, List.of(balance)),
        Map.entry(OrgEntity.Profile.class, List.of(new OrgEntity.Profile("Acme", "pro", null))),
        Map.entry(OrgEntity.State.class, List.of(OrgEntity.State.UNOPENED, state)),
        Map.entry(Balances.class, List.of(balances)),
        Map.entry(CostLine.class, breakdown.stream().map(Object.class::cast).toList()),
        Map.entry(Reservation.class, List.of(reservation)),
        Map.entry(Settlement.class, List.of(settlement)),
        Map.entry(LedgerTotals.class, List.of(totals)),
        Map.entry(AgentConfig.class, List.of(agent)),
        Map.entry(AgentConfig.FaqEntry.class, List.copyOf(agent.faq())),
        Map.entry(AgentConfig.ModelChoice.class, List.of(agent.model())),
        Map.entry(AgentConfig.BusinessHours.class, List.of(agent.businessHours())),
        Map.entry(AgentConfig.OpeningHours.class, List.copyOf(agent.businessHours().hours())),
        Map.entry(AgentEntity.Create.class, List.of(new AgentEntity.Create(agent, agentReplyTo))),
        Map.entry(AgentEntity.Update.class, List.of(new AgentEntity.Update(agent, agentReplyTo))),
        Map.entry(AgentEntity.Pause.class, List.of(new AgentEntity.Pause(agentReplyTo))),
        Map.entry(AgentEntity.Resume.class, List.of(new AgentEntity.Resume(agentReplyTo))),
        Map.entry(AgentEntity.Get.class, List.of(new AgentEntity.Get(agentReplyTo))),
        Map.entry(AgentEntity.Archive.class, List.of(new AgentEntity.Archive(agentReplyTo))),
        Map.entry(AgentEntity.AgentArchived.class, List.of(new AgentEntity.AgentArchived(AT))),
        Map.entry(AgentEntity.AgentCreated.class, List.of(new AgentEntity.AgentCreated(agent, AT))),
        Map.entry(AgentEntity.AgentReconfigured.class, List.of(new AgentEntity.AgentReconfigured(agent, AT))),
        Map.entry(AgentEntity.AgentPaused.class, List.of(new AgentEntity.AgentPaused(AT))),
        Map.entry(AgentEntity.AgentResumed.class, List.of(new AgentEntity.AgentResumed(AT))),
        Map.entry(AgentEntity.Agent.class, List.of(new AgentEntity.Agent("agent-1", agent, AgentEntity.Status.ACTIVE, 2))),
        Map.entry(AgentEntity.Rejected.class, List.of(new AgentEntity.Rejected(AgentEntity.Reason.INVALID, List.of("name")))),
        Map.entry(AgentEntity.State.class, List.of(AgentEntity.State.EMPTY, new AgentEntity.State(agent, AgentEntity.Status.PAUSED, 3))));
  }

  @Test
  void everySerializableClassHasASample() throws Exception {
    assertThat(samples().keySet()).containsExactlyInAnyOrderElementsOf(serializableClasses());
  }

  @Test
  void everySampleRoundTripsThroughJacksonJson() {
    SerializationTestKit serializationTestKit = new SerializationTestKit(testKit.system());
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    samples().values().stream().flatMap(List::stream).forEach(sample -> {
      assertThat(serialization.findSerializerFor(sample).getClass().getSimpleName())
          .as(sample.getClass().getName())
          .isEqualTo("JacksonJsonSerializer");
      serializationTestKit.verifySerialization(sample, true);
    });
  }

  @Test
  void javaSerializationIsSwitchedOff() {
    assertThat(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization")).isFalse();
  }

  private static Set<Class<?>> serializableClasses() throws IOException, URISyntaxException {
    Path classes = Path.of(JsonSerializable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
          .map(SerializationRoundTripTest::load)
          .filter(type -> JsonSerializable.class.isAssignableFrom(type))
          .filter(type -> !type.isInterface() && !Modifier.isAbstract(type.getModifiers()))
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, SerializationRoundTripTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }

}
