package io.layercake.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void theOpenLoopRunsAtHalfOfThePeakUnlessARateIsGiven() {
    assertThat(Options.parse(new String[0]).halfLoadRate()).as("0: half of the pass's peak").isZero();
    assertThat(Options.parse(new String[] {"--half-load-rate", "150", "--half-load-seconds", "20"}))
        .satisfies(options -> {
          assertThat(options.halfLoadRate()).isEqualTo(150);
          assertThat(options.halfLoadSeconds()).isEqualTo(20);
        });
  }

  @Test
  void theWarmUpRunsAtLeastItsMinimumAndAMinimumAboveTheCapIsRefused() {
    assertThat(Options.parse(new String[0]).warmupMinMessages()).isEqualTo(60_000);
    assertThat(Options.parse(new String[] {"--warmup-min-messages", "0"}).warmupMinMessages()).isZero();
    assertThatThrownBy(() -> Options.parse(new String[] {"--warmup-min-messages", "300000"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--warmup-min-messages");
  }

  @Test
  void aNegativeRateOrAnUnknownFlagIsRefusedByName() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--half-load-rate", "-1"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--half-load-rate");
    assertThatThrownBy(() -> Options.parse(new String[] {"--half-load-rat", "100"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--half-load-rat");
  }
}
