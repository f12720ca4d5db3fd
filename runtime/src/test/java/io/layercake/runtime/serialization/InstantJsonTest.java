package io.layercake.runtime.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.session.SessionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InstantJsonTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void writesWhatTheJdksFormatterWritesAndReadsItBack() {
    SplittableRandom random = new SplittableRandom(7);
    long from = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(i % 5 == 0 ? random.nextLong(1_700_000_000L, 1_900_000_000L) : random.nextLong(from, to + 1), nano);

      String text = InstantJson.format(instant);

      assertThat(text).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
      assertThat(InstantJson.parse(text)).isEqualTo(instant);
    }
  }

  @Test
  void readsAnyNumberOfFractionDigits() {
    assertThat(InstantJson.parse("2026-12-07T11:59:06.1Z")).isEqualTo(Instant.parse("2026-12-07T11:59:06.100Z"));
    assertThat(InstantJson.parse("2026-12-07T11:59:06.12345Z")).isEqualTo(Instant.parse("2026-12-07T11:59:06.12345Z"));
    assertThat(InstantJson.parse("2026-12-07T11:59:06.000000001Z")).isEqualTo(Instant.ofEpochSecond(1_796_644_746L, 1));
  }

  @Test
  void leavesEveryOtherFormToTheJdk() {
    assertThat(InstantJson.format(Instant.parse("0999-12-31T23:59:59Z"))).isEqualTo("0999-12-31T23:59:59Z");
    assertThat(InstantJson.format(Instant.MAX)).isEqualTo(Instant.MAX.toString());
    assertThat(InstantJson.format(Instant.MIN)).isEqualTo(Instant.MIN.toString());
    for (String other : new String[] {"2026-12-07T11:59:06+01:00", "2026-12-07t11:59:06z", "2026-02-30T11:59:06Z",
        "2026-12-07T24:00:00Z", "2026-12-07T11:59:60Z", "2026-12-07T11:59:06.Z", "2026-12-07T11:59:06.1234567890Z",
        "2026-1x-07T11:59:06Z", "2026-12-07T1-:59:06Z", "+12026-12-07T11:59:06Z", "0999-12-31T23:59:59Z", ""}) {
      assertThat(InstantJson.parse(other)).as(other).isNull();
    }
  }

  @Test
  void isWhatPekkoWritesAndReadsEventsWith() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    Instant at = Instant.parse("2026-12-07T11:59:06.123456Z");
    SessionEvent.OwnerReminded event = new SessionEvent.OwnerReminded(at);
    Serializer serializer = serialization.findSerializerFor(event);

    String json = new String(serialization.serialize(event).get(), StandardCharsets.UTF_8);
    String offset = json.replace("2026-12-07T11:59:06.123456Z", "2026-12-07T12:59:06.123456+01:00");
    Object read = serialization.deserialize(offset.getBytes(StandardCharsets.UTF_8), serializer.identifier(),
        Serializers.manifestFor(serializer, event)).get();

    assertThat(json).contains("\"2026-12-07T11:59:06.123456Z\"");
    assertThat(read).as("text the fast path leaves to Jackson's reader").isEqualTo(event);
    assertThat(JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-json", Optional.empty())
        .getRegisteredModuleIds()).contains(InstantJson.NAME);
    assertThat(testKit.system().settings().config().getStringList("pekko.serialization.jackson.jackson-modules"))
        .as("after JavaTimeModule, so it takes instants over").last().isEqualTo(InstantJson.class.getName());
  }
}
