package io.layercake.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SMS segments and phone numbers. */
class ChannelTextTest {
  @Test
  void gsmTextsTake160CharactersAlone153PerPart() {
    assertThat(SmsSegments.count("a".repeat(160))).isEqualTo(1);
    assertThat(SmsSegments.count("a".repeat(161))).isEqualTo(2);
    assertThat(SmsSegments.count("a".repeat(306))).isEqualTo(2);
    assertThat(SmsSegments.count("a".repeat(307))).isEqualTo(3);
    assertThat(SmsSegments.count("€".repeat(80))).as("extension characters count twice").isEqualTo(1);
    assertThat(SmsSegments.count("€".repeat(81))).isEqualTo(2);
  }

  @Test
  void otherTextsAreUcs2With70CharactersAlone67PerPart() {
    assertThat(SmsSegments.count("ł".repeat(70))).isEqualTo(1);
    assertThat(SmsSegments.count("ł".repeat(71))).isEqualTo(2);
    assertThat(SmsSegments.count("Hello 😀")).isEqualTo(1);
    assertThat(SmsSegments.count("a".repeat(134) + "😀")).isEqualTo(3);
  }

  @Test
  void phoneNumbersBecomeE164() {
    assertThat(List.of("31612345678", "+31 6 1234-5678", "0031612345678", "(+31) 612345678"))
        .allSatisfy(raw -> assertThat(PhoneNumbers.e164(raw)).contains("+31612345678"));
    assertThat(PhoneNumbers.e164("12345")).isEmpty();
    assertThat(PhoneNumbers.e164("call me")).isEmpty();
    assertThat(PhoneNumbers.withoutPlus("+31612345678")).isEqualTo("31612345678");
  }
}
