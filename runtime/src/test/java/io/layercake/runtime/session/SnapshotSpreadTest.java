package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnapshotSpreadTest {

  @Test
  void conversationsSnapshotWithinAnEighthOfTheSettingEitherSideEachAlwaysAlike() {
    Set<Integer> intervals = IntStream.range(0, 1_000)
        .mapToObj(i -> SnapshotSpread.every(new SessionKey("agent", "whatsapp", "+3160000" + i).sessionId(), 100))
        .collect(Collectors.toSet());

    assertThat(intervals).allSatisfy(every -> assertThat(every).isBetween(88, 113)).hasSizeGreaterThan(20);
    assertThat(SnapshotSpread.every("s-1", 100)).isEqualTo(SnapshotSpread.every("s-1", 100));
  }

  @Test
  void aSmallSettingStaysAsItIs() {
    assertThat(SnapshotSpread.every("s-1", 1)).isEqualTo(1);
    assertThat(SnapshotSpread.every("s-2", 3)).isEqualTo(3);
  }
}
