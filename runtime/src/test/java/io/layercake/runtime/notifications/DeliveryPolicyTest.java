package io.layercake.runtime.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Priority × choice × channel, the organization's map, reach, and when each delivery is due. */
class DeliveryPolicyTest {
  private static final DeliveryPolicy POLICY = new DeliveryPolicy(Duration.ofSeconds(15), 8);
  private static final DeliveryPolicy.Reach EVERYWHERE = new DeliveryPolicy.Reach(true, true);
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @Test
  void eachPriorityWithNoChoiceGoesWhereItsDefaultSays() {
    assertThat(channels(Priority.CRITICAL, Preferences.NONE)).containsExactlyInAnyOrder(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER);
    assertThat(channels(Priority.HIGH, Preferences.NONE)).containsExactlyInAnyOrder(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER);
    assertThat(channels(Priority.NORMAL, Preferences.NONE)).isEmpty();
    assertThat(channels(Priority.LOW, Preferences.NONE)).containsExactly(Channel.DIGEST);
  }

  @Test
  void everyPriorityChannelAndChoiceGivesTheDocumentedAnswer() {
    for (Priority priority : Priority.values()) {
      for (Channel channel : EnumSet.of(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER)) {
        for (Boolean choice : new Boolean[] {null, true, false}) {
          Preferences preferences = choice == null ? Preferences.NONE : new Preferences(Map.of("*", Map.of(channel, choice)));
          Set<Channel> got = channels(priority, preferences);
          boolean expected = switch (priority) {
            case CRITICAL -> true;
            case HIGH -> choice == null || choice;
            case NORMAL -> choice != null && choice;
            case LOW -> false;
          };
          assertThat(got.contains(channel)).as(priority + " " + channel + " choice " + choice).isEqualTo(expected);
          if (priority == Priority.LOW) {
            boolean digest = channel != Channel.EMAIL || choice == null || choice;
            assertThat(got.contains(Channel.DIGEST)).as("low, " + channel + " " + choice).isEqualTo(digest);
          }
        }
      }
    }
  }

  @Test
  void anOrganizationsOwnChoiceWinsOverTheOneForAll() {
    Preferences preferences = new Preferences(Map.of("*", Map.of(Channel.EMAIL, false), "plumber", Map.of(Channel.EMAIL, true)));
    assertThat(POLICY.channels(Priority.HIGH, "plumber", Optional.empty(), preferences, EVERYWHERE)).contains(Channel.EMAIL);
    assertThat(POLICY.channels(Priority.HIGH, "salon", Optional.empty(), preferences, EVERYWHERE)).doesNotContain(Channel.EMAIL);
  }

  @Test
  void theOrganizationsMapReplacesTheDefaultButNotThePersonsChoice() {
    Optional<Set<Channel>> pushoverOnly = Optional.of(EnumSet.of(Channel.PUSHOVER, Channel.WEBHOOK));
    assertThat(POLICY.channels(Priority.HIGH, "plumber", pushoverOnly, Preferences.NONE, EVERYWHERE)).containsExactly(Channel.PUSHOVER);
    assertThat(POLICY.channels(Priority.NORMAL, "plumber", pushoverOnly, Preferences.NONE, EVERYWHERE)).containsExactly(Channel.PUSHOVER);
    Preferences emailOn = new Preferences(Map.of("plumber", Map.of(Channel.EMAIL, true)));
    assertThat(POLICY.channels(Priority.HIGH, "plumber", pushoverOnly, emailOn, EVERYWHERE))
        .containsExactlyInAnyOrder(Channel.PUSHOVER, Channel.EMAIL);
    assertThat(POLICY.channels(Priority.CRITICAL, "plumber", Optional.of(Set.of()), Preferences.NONE, EVERYWHERE))
        .as("critical ignores maps too").containsExactlyInAnyOrder(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER);
    assertThat(DeliveryPolicy.toWebhooks(Priority.NORMAL, Optional.empty())).isTrue();
    assertThat(DeliveryPolicy.toWebhooks(Priority.HIGH, Optional.of(Set.of(Channel.EMAIL)))).isFalse();
  }

  @Test
  void nobodyIsPushedWhereTheyCannotBeReached() {
    assertThat(POLICY.channels(Priority.CRITICAL, "plumber", Optional.empty(), Preferences.NONE, new DeliveryPolicy.Reach(false, false)))
        .containsExactly(Channel.EMAIL);
  }

  @Test
  void criticalGoesAtOnceOthersAfterTheGatherDelayLowAtTheDigestHour() {
    assertThat(POLICY.dueAt(Channel.PUSHOVER, Priority.CRITICAL, NOW)).isEqualTo(NOW);
    assertThat(POLICY.dueAt(Channel.EMAIL, Priority.HIGH, NOW)).isEqualTo(NOW.plusSeconds(15));
    assertThat(POLICY.dueAt(Channel.DIGEST, Priority.LOW, NOW)).isEqualTo(Instant.parse("2026-12-06T08:00:00Z"));
    assertThat(POLICY.dueAt(Channel.DIGEST, Priority.LOW, Instant.parse("2026-12-05T07:59:00Z")))
        .isEqualTo(Instant.parse("2026-12-05T08:00:00Z"));
  }

  private static Set<Channel> channels(Priority priority, Preferences preferences) {
    return POLICY.channels(priority, "plumber", Optional.empty(), preferences, EVERYWHERE);
  }
}
