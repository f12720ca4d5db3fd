package io.layercake.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The classes that grew most between two {@code jcmd GC.class_histogram} outputs, largest first. */
class HeapHistogramTest {
  private static final String BEFORE = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:        100000        8000000  [B (java.base@17.0.15)
         2:         50000        1200000  java.lang.String (java.base@17.0.15)
         3:           100          12000  io.layercake.runtime.session.SessionState
      Total        150100        9212000
      """;
  private static final String AFTER = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:        110000        9024000  [B (java.base@17.0.15)
         2:         60000        1200000  java.lang.String (java.base@17.0.15)
         3:         10100        1052000  io.layercake.runtime.session.SessionState
         4:         10000         320000  org.apache.pekko.actor.ActorCell
      Total        190100       11596000
      """;

  @Test
  void namesTheClassesThatGrewMostLargestFirst() {
    String growth = HeapHistogram.parse(AFTER).largestGrowth(HeapHistogram.parse(BEFORE), 3);

    assertThat(growth).isEqualTo("io.layercake.runtime.session.SessionState +1,015 KB, [B +1,000 KB,"
        + " org.apache.pekko.actor.ActorCell +312 KB");
  }

  @Test
  void countsLiveBytesAndInstances() {
    HeapHistogram after = HeapHistogram.parse(AFTER);

    assertThat(after.totalBytes()).isEqualTo(11_596_000);
    assertThat(after.instances("io.layercake.runtime.session.SessionState")).isEqualTo(10_100);
    assertThat(after.instances("io.layercake.runtime.session.SessionEntity")).isZero();
  }

  @Test
  void theGrowthIsWhatTheClassesThatGrewAddedNotNettedAgainstWhatOthersFreed() {
    HeapHistogram before = HeapHistogram.parse(BEFORE.replace("Total", "   4:           300       22000000  [I\nTotal"));
    HeapHistogram after = HeapHistogram.parse(AFTER.replace("Total", "   5:           100        2000000  [I\nTotal"));

    assertThat(after.grownBytes(before)).as("[B, SessionState and ActorCell").isEqualTo(1_024_000 + 1_040_000 + 320_000);
    assertThat(after.shrunkBytes(before)).as("the int[] something else let go").isEqualTo(-20_000_000);
    assertThat(after.totalBytes() - before.totalBytes()).as("netted, the growth would read negative").isNegative();
  }

  @Test
  void skipsTheHeaderAndTheTotal() {
    assertThat(HeapHistogram.parse(AFTER).bytesByClass()).containsOnlyKeys(
        "[B", "java.lang.String", "io.layercake.runtime.session.SessionState", "org.apache.pekko.actor.ActorCell");
  }
}
