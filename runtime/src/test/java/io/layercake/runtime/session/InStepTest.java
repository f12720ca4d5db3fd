package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InStepTest {
  private static final List<String> SESSIONS = IntStream.range(0, 1_000)
      .mapToObj(i -> new SessionKey("agent", "whatsapp", "+3160000" + i).sessionId()).toList();

  @Test
  void conversationsSnapshotWithinAnEighthOfTheSettingEitherSideEachAlwaysAlike() {
    Set<Integer> intervals = SESSIONS.stream().map(id -> InStep.snapshotEvery(id, 100)).collect(Collectors.toSet());

    assertThat(intervals).allSatisfy(every -> assertThat(every).isBetween(88, 113)).hasSizeGreaterThan(20);
    assertThat(InStep.snapshotEvery("s-1", 100)).isEqualTo(InStep.snapshotEvery("s-1", 100));
  }

  @Test
  void aSmallSettingStaysAsItIs() {
    assertThat(InStep.snapshotEvery("s-1", 1)).isEqualTo(1);
    assertThat(InStep.snapshotEvery("s-2", 3)).isEqualTo(3);
    assertThat(InStep.leaseTurns("s-1", 1, 1)).isEqualTo(1);
  }

  @Test
  void leasesAreTheSettingToHalfAsManyAgainSpreadOverConversationsAndTheirTurns() {
    Map<Integer, Long> firstLeases = SESSIONS.stream()
        .collect(Collectors.groupingBy(id -> InStep.leaseTurns(id, 1, 20), Collectors.counting()));
    assertThat(firstLeases.keySet()).allSatisfy(turns -> assertThat(turns).isBetween(20, 30)).hasSize(11);
    assertThat(firstLeases.values()).as("no size taken by more than twice its share of 1,000 conversations")
        .allSatisfy(count -> assertThat(count).isLessThan(2 * 1_000 / 11));

    String one = SESSIONS.get(0);
    Set<Integer> ownLeases = IntStream.rangeClosed(1, 200).mapToObj(turn -> InStep.leaseTurns(one, turn, 20))
        .collect(Collectors.toSet());
    assertThat(ownLeases).as("one conversation's leases, taken at different turns").hasSizeGreaterThan(5);
    assertThat(InStep.leaseTurns(one, 21, 20)).as("asked again alike").isEqualTo(InStep.leaseTurns(one, 21, 20));
  }

  @Test
  void unusedLeasesGoBackWithinTheLastQuarterOfTheirIdleTime() {
    Set<Duration> waits = SESSIONS.stream().map(id -> InStep.leaseIdle(id, Duration.ofMinutes(1))).collect(Collectors.toSet());
    assertThat(waits).allSatisfy(wait -> assertThat(wait).isBetween(Duration.ofSeconds(45), Duration.ofMinutes(1)))
        .hasSizeGreaterThan(900);
    assertThat(InStep.leaseIdle("s-1", Duration.ofSeconds(1))).isEqualTo(InStep.leaseIdle("s-1", Duration.ofSeconds(1)));
  }

  @Test
  void conversationsInStepSettleTheirLeasesAtDifferentTurnsAfterTheFirst() {
    Function<String, Set<Integer>> leaseEnds = id -> {
      Set<Integer> ends = new java.util.HashSet<>();
      int turn = 1;
      for (int lease = 0; lease < 3; lease++) {
        turn += InStep.leaseTurns(id, turn, 20);
        ends.add(turn - 1);
      }
      return ends;
    };
    Map<Integer, Long> thirdLeaseEnds = SESSIONS.stream()
        .collect(Collectors.groupingBy(id -> leaseEnds.apply(id).stream().mapToInt(Integer::intValue).max().orElseThrow(),
            Collectors.counting()));
    assertThat(thirdLeaseEnds.values()).as("1,000 conversations' third lease ends, over %s turns", thirdLeaseEnds.size())
        .allSatisfy(count -> assertThat(count).isLessThan(100));
  }
}
