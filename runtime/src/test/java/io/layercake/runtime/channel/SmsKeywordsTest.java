package io.layercake.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.channel.SmsKeywords.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The carrier keywords: the first word, any case, with punctuation after it; nothing else counts. */
class SmsKeywordsTest {
  @ParameterizedTest
  @ValueSource(strings = {"STOP", "stop", "Stop.", "  STOP please remove me from your list", "STOPALL", "unsubscribe",
      "Cancel!", "END", "quit", "stop\nthanks"})
  void optOutWords(String text) {
    assertThat(SmsKeywords.of(text).map(SmsKeywords.Keyword::kind)).contains(Kind.OPT_OUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"START", "start", "Unstop", "START again please"})
  void optInWords(String text) {
    assertThat(SmsKeywords.of(text).map(SmsKeywords.Keyword::kind)).contains(Kind.OPT_IN);
  }

  @Test
  void helpIsItsOwnKeywordAndTheWordIsReportedUpperCased() {
    assertThat(SmsKeywords.of("help?")).contains(new SmsKeywords.Keyword(Kind.HELP, "HELP"));
    assertThat(SmsKeywords.of("Stop, please")).contains(new SmsKeywords.Keyword(Kind.OPT_OUT, "STOP"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "please stop", "Stopping by at 3?", "STOP2", "starter question", "endless pipes",
      "helpful info?", "When are you open?", "stop-cock is leaking", "🙏 stop"})
  void anythingElseIsAnOrdinaryMessage(String text) {
    assertThat(SmsKeywords.of(text)).isEmpty();
  }

  @Test
  void nullIsNoKeyword() {
    assertThat(SmsKeywords.of(null)).isEqualTo(Optional.empty());
  }
}
