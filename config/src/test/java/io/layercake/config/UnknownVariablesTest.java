package io.layercake.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A misspelled {@code LAYERCAKE_*} variable is named, with the setting it was probably meant for. */
class UnknownVariablesTest {
  @Test
  void typosAreNamedWithTheClosestSetting() {
    assertThat(UnknownVariables.in(Map.of("LAYERCAKE_HTTP_PROT", "9090", "LAYERCAKE_ADMN_TOKEN", "x", "PATH", "/bin")))
        .containsExactly("LAYERCAKE_ADMN_TOKEN is not a setting; did you mean LAYERCAKE_ADMIN_TOKEN?",
            "LAYERCAKE_HTTP_PROT is not a setting; did you mean LAYERCAKE_HTTP_PORT?");
  }

  @Test
  void settingsAndOtherVariablesPass() {
    assertThat(UnknownVariables.known()).contains("LAYERCAKE_HTTP_PORT", "LAYERCAKE_DB_URL", "LAYERCAKE_HTTP_METRICS_TOKEN");
    assertThat(UnknownVariables.in(Map.of("LAYERCAKE_HTTP_PORT", "9090", "HOME", "/root"))).isEmpty();
  }

  @Test
  void aNameFarFromEverySettingGetsNoGuess() {
    assertThat(UnknownVariables.in(Map.of("LAYERCAKE_SOMETHING_ELSE_ENTIRELY_UNRELATED", "1")))
        .containsExactly("LAYERCAKE_SOMETHING_ELSE_ENTIRELY_UNRELATED is not a setting");
  }
}
