package io.layercake.http.providers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.config.ChannelSettings;
import io.layercake.config.Secret;
import io.layercake.http.testing.StubProvider;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WhatsApp sender against a Graph API stub: the 24-hour window, templates, and Meta's error codes. */
class WhatsAppSenderTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private final StubProvider graph = StubProvider.start(request -> StubProvider.Response.json(200,
      "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OK\"}]}"));
  private final WhatsAppSender sender = new WhatsAppSender(
      new ChannelSettings.WhatsApp(graph.baseUrl(), "v21.0", Secret.of("s"), Secret.of("v")), Duration.ofSeconds(5),
      new OneNumber(), HttpClient.newHttpClient(), ForkJoinPool.commonPool(), Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void freeTextGoesOutInsideTheWindowAndIsRefusedOutsideIt() {
    SendOutcome inside = send(message(NOW.minus(Duration.ofHours(23)), null));
    SendOutcome outside = send(message(NOW.minus(Duration.ofHours(25)), null));

    assertThat(inside).isEqualTo(new SendOutcome.Accepted("wamid.OK"));
    assertThat(outside).isInstanceOf(SendOutcome.Permanent.class);
    assertThat(((SendOutcome.Permanent) outside).reason()).contains("24-hour");
    assertThat(graph.requests()).hasSize(1);
  }

  @Test
  void aTemplateGoesOutAnyTimeWithItsParametersInOrder() {
    SendOutcome outcome = send(message(NOW.minus(Duration.ofDays(3)),
        new MessageTemplate("appointment_reminder", "en_US", List.of("Ann", "Tuesday 10:00"))));

    assertThat(outcome).isInstanceOf(SendOutcome.Accepted.class);
    JsonNode body = graph.requests().get(0).json();
    assertThat(body.path("type").asText()).isEqualTo("template");
    assertThat(body.path("template").path("name").asText()).isEqualTo("appointment_reminder");
    assertThat(body.path("template").path("language").path("code").asText()).isEqualTo("en_US");
    assertThat(body.path("template").path("components").path(0).path("parameters").findValuesAsText("text"))
        .containsExactly("Ann", "Tuesday 10:00");
  }

  @Test
  void metaErrorCodesDecideBetweenRetryingAndGivingUp() {
    graph.thenRespond(400, error(131047, "Re-engagement message"));
    graph.thenRespond(400, error(130429, "Rate limit hit"));
    graph.thenRespond(400, error(131026, "Message undeliverable"));
    graph.thenRespond(503, "");

    SendOutcome window = send(message(NOW, null));
    SendOutcome rateLimited = send(message(NOW, null));
    SendOutcome undeliverable = send(message(NOW, null));
    SendOutcome down = send(message(NOW, null));

    assertThat(window).isInstanceOf(SendOutcome.Permanent.class);
    assertThat(((SendOutcome.Permanent) window).reason()).contains("24-hour").contains("131047");
    assertThat(rateLimited).isInstanceOf(SendOutcome.Retryable.class);
    assertThat(undeliverable).isEqualTo(new SendOutcome.Permanent("(#131026) Message undeliverable"));
    assertThat(down).isInstanceOf(SendOutcome.Retryable.class);
  }

  private SendOutcome send(OutboundMessage message) {
    return sender.send(message).toCompletableFuture().join();
  }

  private static OutboundMessage message(Instant lastInboundAt, MessageTemplate template) {
    return new OutboundMessage("s-1", "org", "agent", "whatsapp", "+31612345678", "out-1", "Hello!", lastInboundAt, template);
  }

  private static String error(int code, String message) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
        + ",\"error_data\":{\"messaging_product\":\"whatsapp\"},\"fbtrace_id\":\"A1\"}}";
  }

  /** One agent on one number, with a token. */
  private static final class OneNumber extends FixedChannelDirectory {
    @Override
    public CompletionStage<Optional<String>> addressOf(String agentId, String channel) {
      return CompletableFuture.completedFuture(Optional.of("106540352242922"));
    }

    @Override
    public CompletionStage<ChannelAccount> account(String orgId, String channel) {
      return CompletableFuture.completedFuture(new ChannelAccount(orgId, channel, Secret.of("token"), null, null));
    }
  }
}
