package io.layercake.runtime.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.channel.PhoneNumbers.Invalid;
import io.layercake.runtime.channel.PhoneNumbers.Valid;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Numbers as people type them and as providers send them, to E.164 through libphonenumber. */
class PhoneNumbersTest {

  @Test
  void theNationalPrefixInBracketsIsDropped() {
    assertThat(PhoneNumbers.normalize("+44 (0)20 7946 0958", Optional.empty())).isEqualTo(new Valid("+442079460958"));
    assertThat(PhoneNumbers.normalize("+44 (0)20 7946 0958", Optional.of("NL"))).isEqualTo(new Valid("+442079460958"));
    assertThat(PhoneNumbers.e164("+44 (0)20 7946 0958")).contains("+442079460958");
  }

  @Test
  void aNationalFormatIsReadInTheDefaultCountry() {
    assertThat(PhoneNumbers.normalize("020 7946 0958", Optional.of("GB"))).isEqualTo(new Valid("+442079460958"));
    assertThat(PhoneNumbers.normalize("020 7946 0958", Optional.of("gb"))).isEqualTo(new Valid("+442079460958"));
    assertThat(PhoneNumbers.normalize("06 1234 5678", Optional.of("NL"))).isEqualTo(new Valid("+31612345678"));
  }

  @Test
  void aNationalFormatWithoutADefaultCountryIsRefusedWithAReason() {
    assertThat(PhoneNumbers.normalize("020 7946 0958", Optional.empty())).isInstanceOfSatisfying(Invalid.class,
        invalid -> assertThat(invalid.reason()).contains("020 7946 0958").contains("country code").contains("default country"));
  }

  @Test
  void spacedInternationalNumbersBecomeE164() {
    assertThat(List.of("+31 6 1234 5678", "+31 6 1234-5678", "0031612345678", "(+31) 612345678", "31612345678"))
        .allSatisfy(raw -> {
          assertThat(PhoneNumbers.normalize(raw, Optional.empty())).isEqualTo(new Valid("+31612345678"));
          assertThat(PhoneNumbers.normalize(raw, Optional.of("GB"))).isEqualTo(new Valid("+31612345678"));
          assertThat(PhoneNumbers.e164(raw)).contains("+31612345678");
        });
  }

  @Test
  void whatIsNotANumberIsInvalid() {
    assertThat(List.of("12345", "call me", "+44 20", "+31 6 1234 5678 9999 12", "++31612345678", "", "   "))
        .allSatisfy(raw -> {
          assertThat(PhoneNumbers.normalize(raw, Optional.of("GB"))).isInstanceOf(Invalid.class);
          assertThat(PhoneNumbers.e164(raw)).isEmpty();
        });
    assertThat(PhoneNumbers.normalize(null, Optional.empty())).isInstanceOf(Invalid.class);
  }

  @Test
  void providerNumbersComeWithoutPlus() {
    assertThat(PhoneNumbers.e164("447700900123")).contains("+447700900123");
    assertThat(PhoneNumbers.e164("5215512345678")).as("WhatsApp's id of a Mexican mobile, too long for the plan, is kept")
        .contains("+5215512345678");
    assertThat(PhoneNumbers.withoutPlus("+31612345678")).isEqualTo("31612345678");
    assertThat(PhoneNumbers.supportedCountry("GB")).isTrue();
    assertThat(PhoneNumbers.supportedCountry("XX")).isFalse();
  }
}
