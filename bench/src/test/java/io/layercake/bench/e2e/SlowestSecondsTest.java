package io.layercake.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where in the open loop its slowest messages were sent: one stall or a steady tail. */
class SlowestSecondsTest {

  @Test
  void namesTheSecondsWithTheMostMessagesOverTheP99() {
    List<WhatsAppLoad.Timed> timed = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      timed.add(new WhatsAppLoad.Timed(i * 10, 5_000));
    }
    timed.add(new WhatsAppLoad.Timed(3_100, 90_000));
    timed.add(new WhatsAppLoad.Timed(3_900, 80_000));
    timed.add(new WhatsAppLoad.Timed(7_200, 70_000));
    WhatsAppLoad.Result result = new WhatsAppLoad.Result(1003, 1003, 0, 0, 0, 0, Duration.ofSeconds(10), List.of(), List.of(),
        List.of(), timed);

    assertThat(DatabasePass.slowestSeconds(result, 20.0)).isEqualTo(
        "the 3 messages slower than the p99 (20.0 ms) were sent in 2 of its seconds (most in second 3: 2, second 7: 1)");
    assertThat(DatabasePass.slowestSeconds(result, 100.0)).isEqualTo(
        "the 0 messages slower than the p99 (100.0 ms) were sent in 0 of its seconds");
  }
}
