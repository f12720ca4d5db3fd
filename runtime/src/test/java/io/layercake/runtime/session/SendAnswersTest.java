package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.SessionSettings;
import io.layercake.config.SettingsLoader;
import io.layercake.runtime.channel.SendOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A channel's answer to a send: recorded as sent or failed, or tried again after the provider's delay or a doubling one. */
class SendAnswersTest {
  private static final SessionSettings SETTINGS = SettingsLoader.load(Map.of()).sessions();

  @Test
  void anAcceptedOrRefusedSendIsRecorded() {
    assertThat(SendAnswers.of(new SendOutcome.Accepted("wamid.1"), null, 1, SETTINGS))
        .isEqualTo(new SendAnswers.Record(DeliveryStatus.SENT, "wamid.1", null));
    assertThat(SendAnswers.of(new SendOutcome.Permanent("outside the window"), null, 3, SETTINGS))
        .isEqualTo(new SendAnswers.Record(DeliveryStatus.FAILED, null, "outside the window"));
    assertThat(SendAnswers.metricLabel(new SendOutcome.Permanent("no"))).isEqualTo("permanent_failure");
    assertThat(SendAnswers.metricLabel(null)).as("no answer at all").isEqualTo("retryable_failure");
  }

  @Test
  void aRetryableSendWaitsForTheProvidersDelayOrADoublingOneAndIsGivenUpAtLast() {
    assertThat(SendAnswers.of(new SendOutcome.Retryable("rate limited", Duration.ofSeconds(7)), null, 1, SETTINGS))
        .isEqualTo(new SendAnswers.Again(Duration.ofSeconds(7), "rate limited"));
    assertThat(SendAnswers.of(new SendOutcome.Retryable("rate limited", Duration.ofDays(1)), null, 1, SETTINGS))
        .isEqualTo(new SendAnswers.Again(SETTINGS.deliveryRetryMax(), "rate limited"));
    SendAnswers.Again third = (SendAnswers.Again) SendAnswers.of(null, new TimeoutException("no answer"), 3, SETTINGS);
    assertThat(third.delay()).isEqualTo(SETTINGS.deliveryRetryMin().multipliedBy(4));
    assertThat(third.why()).contains("TimeoutException");
    assertThat(((SendAnswers.Again) SendAnswers.of(null, new TimeoutException(), 19, SETTINGS)).delay())
        .isEqualTo(SETTINGS.deliveryRetryMax());
    assertThat(SendAnswers.of(new SendOutcome.Retryable("down", null), null, SendAnswers.MAX_ATTEMPTS, SETTINGS))
        .isEqualTo(new SendAnswers.Record(DeliveryStatus.FAILED, null, "gave up after 20 attempts"));
  }
}
