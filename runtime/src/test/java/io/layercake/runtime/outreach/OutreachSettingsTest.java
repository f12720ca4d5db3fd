package io.layercake.runtime.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutreachSettingsTest {
  private static OutreachSettings quiet(String zone, String from, String until) {
    return new OutreachSettings(zone, from, until, null, null);
  }

  @Test
  void quietHoursOverMidnightEndTheNextMorningInTheClientsZone() {
    OutreachSettings berlin = quiet("Europe/Berlin", "21:00", "08:00");
    // 22:30 in Berlin (CET, UTC+1) on 6 December: quiet until 08:00 on the 7th
    assertThat(berlin.quietUntil(Instant.parse("2026-12-06T21:30:00Z"))).contains(Instant.parse("2026-12-07T07:00:00Z"));
    // 06:00 in Berlin: quiet until 08:00 the same day
    assertThat(berlin.quietUntil(Instant.parse("2026-12-07T05:00:00Z"))).contains(Instant.parse("2026-12-07T07:00:00Z"));
    assertThat(berlin.quietUntil(Instant.parse("2026-12-07T07:00:00Z"))).as("08:00 sharp: allowed").isEmpty();
    assertThat(berlin.quietUntil(Instant.parse("2026-12-07T12:00:00Z"))).isEmpty();
    // summer time (CEST, UTC+2): the same local hours
    assertThat(berlin.quietUntil(Instant.parse("2026-07-01T20:00:00Z"))).contains(Instant.parse("2026-07-02T06:00:00Z"));
  }

  @Test
  void quietHoursWithinADayAndNoneAtAll() {
    OutreachSettings lunch = quiet("UTC", "12:00", "13:30");
    assertThat(lunch.quietUntil(Instant.parse("2026-12-07T12:15:00Z"))).contains(Instant.parse("2026-12-07T13:30:00Z"));
    assertThat(lunch.quietUntil(Instant.parse("2026-12-07T11:59:00Z"))).isEmpty();
    assertThat(OutreachSettings.NONE.quietUntil(Instant.parse("2026-12-07T03:00:00Z"))).isEmpty();
  }

  @Test
  void settingsThatCannotWorkAreRefusedWithTheReason() {
    assertThat(quiet("Mars/Olympus", null, null).problem()).hasValueSatisfying(problem -> assertThat(problem).contains("timeZone"));
    assertThat(quiet("UTC", "21:00", null).problem()).hasValueSatisfying(problem -> assertThat(problem).contains("go together"));
    for (List<String> bad : List.of(List.of("9:00", "17:00"), List.of("25:00", "08:00"), List.of("08:00", "08:00"))) {
      assertThat(quiet("UTC", bad.get(0), bad.get(1)).problem()).as(bad.toString()).isPresent();
    }
    assertThat(quiet("Europe/Berlin", "21:00", "08:00").problem()).isEmpty();
    assertThat(OutreachSettings.NONE.problem()).isEmpty();
  }

  @Test
  void aTemplatesValuesMustMatchItsParametersAndOnlyAnApprovedOneGoes() {
    WhatsAppTemplate due = new WhatsAppTemplate("2222", "service_due", "de", "UTILITY", "APPROVED", "Hallo {{1}}, Ihr {{2}} ist fällig.",
        List.of("1", "2"), Instant.EPOCH);
    assertThat(due.problemWith(List.of("Jana", "Boiler"))).isEmpty();
    assertThat(due.problemWith(List.of("Jana"))).hasValueSatisfying(problem -> assertThat(problem).contains("takes 2 parameters"));
    assertThat(due.render(List.of("Jana", "Boiler"))).isEqualTo("Hallo Jana, Ihr Boiler ist fällig.");
    WhatsAppTemplate paused = new WhatsAppTemplate("3333", "spring_offer", "en_US", "MARKETING", "PAUSED", "Hi {{1}}", List.of("1"),
        Instant.EPOCH);
    assertThat(paused.problemWith(List.of("Ann"))).hasValueSatisfying(problem -> assertThat(problem).contains("paused"));
    assertThat(paused.pricingNote()).startsWith("marketing");
  }
}
