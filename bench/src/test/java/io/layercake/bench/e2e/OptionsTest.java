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
  void aSlowerModelRunsWithEnoughConversationsToCarryItsTarget() {
    Options defaults = Options.parse(new String[0]);
    assertThat(defaults.conversationsAt(0)).isEqualTo(100);
    assertThat(defaults.conversationsAt(500)).as("600 messages/s at 500 ms need 300 conversations waiting at least")
        .isGreaterThan(300);
    assertThat(Options.parse(new String[] {"--slow-model-conversations", "50"}).conversationsAt(500)).isEqualTo(50);
    assertThatThrownBy(() -> Options.parse(new String[] {"--slow-model-conversations", "0"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--slow-model-conversations");
  }

  @Test
  void aNegativeRateOrAnUnknownFlagIsRefusedByName() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--half-load-rate", "-1"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--half-load-rate");
    assertThatThrownBy(() -> Options.parse(new String[] {"--half-load-rat", "100"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--half-load-rat");
  }
}
