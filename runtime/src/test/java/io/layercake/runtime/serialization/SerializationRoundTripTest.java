package io.layercake.runtime.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
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
    OrgEntity.Summary summary = new OrgEntity.Summary("acme", "Acme", "pro", "parent", balances);
    return Map.ofEntries(
        Map.entry(OrgEntity.Accepted.class, List.of(new OrgEntity.Accepted(summary))),
        Map.entry(OrgEntity.Rejected.class, List.of(new OrgEntity.Rejected(OrgEntity.Reason.CONFLICT, "already open"))),
        Map.entry(OrgEntity.Open.class, List.of(
            new OrgEntity.Open("Acme", "pro", null, replyTo), new OrgEntity.Open("Acme", "pro", "parent", replyTo))),
        Map.entry(OrgEntity.Grant.class, List.of(new OrgEntity.Grant("2026-11", Bucket.DAILY, 5, replyTo))),
        Map.entry(OrgEntity.GetSummary.class, List.of(new OrgEntity.GetSummary(replyTo))),
        Map.entry(OrgEntity.Opened.class, List.of(new OrgEntity.Opened("acme", "Acme", "pro", null, AT))),
        Map.entry(OrgEntity.Granted.class, List.of(new OrgEntity.Granted("acme", "2026-11", Bucket.PURCHASED, 100, AT))),
        Map.entry(OrgEntity.Summary.class, List.of(summary, new OrgEntity.Summary("acme", "Acme", "pro", null, Balances.EMPTY))),
        Map.entry(OrgEntity.State.class, List.of(
            OrgEntity.State.UNOPENED, new OrgEntity.State("Acme", "pro", null, balances, Set.of("MONTHLY:2026-11")))),
        Map.entry(Balances.class, List.of(balances)));
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
