package io.layercake.http.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.ChannelSettings;
import io.layercake.config.Secret;
import io.layercake.http.providers.InfobipSmsSender.Numbers;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.OutboundMessage;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which sender an SMS goes out from: answers from a number the customer can answer, follow-ups from the brand. */
class InfobipSmsSenderTest {
  private static final Instant WROTE = Instant.parse("2026-12-04T09:00:00Z");
  private static final ChannelAccount BRANDED = new ChannelAccount("org", "sms", Secret.of(""), "LowCo", "org-org");
  private static final ChannelAccount PLAIN = new ChannelAccount("org", "sms", Secret.of(""), null, "org-org");
  private static final Numbers BOTH = new Numbers(Optional.of("+447700900301"), Optional.of("+447700900123"));

  @Test
  void anAnswerGoesOutFromTheNumberTheCustomerWroteTo() {
    assertThat(InfobipSmsSender.sender(BRANDED, BOTH, message(WROTE, false), "Layercake")).isEqualTo("447700900301");
    assertThat(InfobipSmsSender.sender(BRANDED, new Numbers(Optional.empty(), Optional.of("+447700900123")), message(WROTE, false),
        "Layercake")).as("the organization's own number when the number written to is unknown").isEqualTo("447700900123");
  }

  @Test
  void whatTheOrganizationStartsGoesOutFromItsAlphanumericSender() {
    assertThat(InfobipSmsSender.sender(BRANDED, BOTH, message(WROTE, true), "Layercake")).isEqualTo("LowCo");
    assertThat(InfobipSmsSender.sender(BRANDED, BOTH, message(null, false), "Layercake"))
        .as("nothing to answer: the customer never wrote").isEqualTo("LowCo");
    assertThat(InfobipSmsSender.sender(PLAIN, BOTH, message(WROTE, true), "Layercake")).isEqualTo("447700900123");
    assertThat(InfobipSmsSender.sender(PLAIN, new Numbers(Optional.empty(), Optional.empty()), message(WROTE, true), "Layercake"))
        .isEqualTo("Layercake");
  }

  @Test
  void reportsAreAskedForAtOurWebhookOnlyWhenThePublicUrlAndTheTokenAreKnown() {
    ChannelSettings.Infobip infobip = new ChannelSettings.Infobip("http://127.0.0.1:1", Secret.of("k"), "app", "Layercake",
        Secret.of("ib-webhook-token-0123456789"));
    ChannelSettings.Infobip noToken = new ChannelSettings.Infobip("http://127.0.0.1:1", Secret.of("k"), "app", "Layercake",
        Secret.of(""));

    assertThat(InfobipSmsSender.notifyUrl("https://lc.example/", infobip))
        .contains("https://lc.example/webhooks/infobip/ib-webhook-token-0123456789/reports");
    assertThat(InfobipSmsSender.notifyUrl("", infobip)).isEmpty();
    assertThat(InfobipSmsSender.notifyUrl("https://lc.example", noToken)).isEmpty();
  }

  private static OutboundMessage message(Instant lastInboundAt, boolean startedByOrganization) {
    return new OutboundMessage("s-1", "org", "agent", "sms", "+31612345678", "out-1", "Hello!", lastInboundAt, null,
        startedByOrganization);
  }
}
