package io.layercake.http.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layercake.config.ChannelSettings;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.MessagingWindows;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Sends Instagram direct messages through the Messenger Platform: {@code POST
 * {graph}/{version}/{instagram-account-id}/messages} with the organization's page access token.
 * Free text within 24 hours of the customer's last message; a person from the business up to 7
 * days with the {@code HUMAN_AGENT} tag; no templates.
 */
public final class InstagramSender implements ChannelPort {
  public static final String CHANNEL = MessagingWindows.INSTAGRAM;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STANDARD_WINDOW = Duration.ofHours(24);
  /** Rate limits and transient platform errors. */
  private static final Set<Integer> RETRYABLE = Set.of(1, 2, 4, 17, 32, 613);
  /** "This message is sent outside of allowed window." */
  private static final int OUTSIDE_WINDOW_SUBCODE = 2018278;

  private final ChannelSettings.WhatsApp metaApp;
  private final Duration timeout;
  private final ChannelDirectory directory;
  private final HttpClient client;
  /** Runs the sender's stages and its blocking provider calls: a pool that may block, never an actor's. */
  private final Executor executor;
  private final Clock clock;

  public InstagramSender(ChannelSettings.WhatsApp metaApp, Duration timeout, ChannelDirectory directory, HttpClient client,
      Executor executor, Clock clock) {
    this.metaApp = metaApp;
    this.timeout = timeout;
    this.directory = directory;
    this.client = client;
    this.executor = executor;
    this.clock = clock;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    if (message.template() != null) {
      return CompletableFuture.completedFuture(new SendOutcome.Permanent("Instagram takes no message templates"));
    }
    Instant now = clock.instant();
    if (MessagingWindows.closed(CHANNEL, message.lastInboundAt(), message.byPerson(), now)) {
      return CompletableFuture.completedFuture(new SendOutcome.Permanent(message.byPerson()
          ? "outside Instagram's 7-day window for a person: the customer has to write again"
          : "outside Instagram's 24-hour window: the customer has to write again"));
    }
    boolean humanAgentTag = message.byPerson() && !message.lastInboundAt().plus(STANDARD_WINDOW).isAfter(now);
    return directory.addressOf(message.agentId(), CHANNEL)
        .thenCombine(directory.account(message.orgId(), CHANNEL), Route::new)
        .thenCompose(route -> route.accountId().isEmpty()
            ? CompletableFuture.completedFuture(new SendOutcome.Permanent("the agent has no Instagram account bound"))
            : route.account().accessToken().isEmpty()
                ? CompletableFuture.completedFuture(new SendOutcome.Permanent("the organization has no Instagram access token configured"))
                : post(route, message, humanAgentTag));
  }

  /** The agent's reply waits for nothing a window would refuse: decided from the conversation's own time, no lookup. */
  @Override
  public CompletionStage<Optional<String>> refusal(String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    return CompletableFuture.completedFuture(MessagingWindows.closed(CHANNEL, lastInboundAt, false, clock.instant())
        ? Optional.of("outside Instagram's 24-hour window: the customer has to write again") : Optional.empty());
  }

  private CompletionStage<SendOutcome> post(Route route, OutboundMessage message, boolean humanAgentTag) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(
            metaApp.graphBaseUrl() + "/" + metaApp.apiVersion() + "/" + route.accountId().get() + "/messages"))
        .timeout(timeout)
        .header("Authorization", "Bearer " + route.account().accessToken().reveal())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(message, humanAgentTag)))
        .build();
    return BlockingExchange.send(client, request, executor)
        .handle((response, failure) -> failure != null
            ? new SendOutcome.Retryable("Instagram unreachable (" + failure.getClass().getSimpleName() + ")", null)
            : outcome(response));
  }

  static String body(OutboundMessage message, boolean humanAgentTag) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("recipient").put("id", message.contact());
    body.putObject("message").put("text", message.text());
    if (humanAgentTag) {
      body.put("messaging_type", "MESSAGE_TAG").put("tag", "HUMAN_AGENT");
    }
    return body.toString();
  }

  static SendOutcome outcome(HttpResponse<String> response) {
    JsonNode json = WhatsAppSender.parse(response.body());
    if (response.statusCode() / 100 == 2) {
      String id = json.path("message_id").asText("");
      return id.isEmpty() ? new SendOutcome.Permanent("Instagram accepted the message without an id") : new SendOutcome.Accepted(id);
    }
    JsonNode error = json.path("error");
    int code = error.path("code").asInt(0);
    String reason = "(#" + code + ") " + error.path("message").asText("HTTP " + response.statusCode());
    if (error.path("error_subcode").asInt(0) == OUTSIDE_WINDOW_SUBCODE) {
      return new SendOutcome.Permanent("outside Instagram's messaging window: the customer has to write again " + reason);
    }
    if (RETRYABLE.contains(code) || (code == 0 && (response.statusCode() == 429 || response.statusCode() >= 500))) {
      return new SendOutcome.Retryable(reason, WhatsAppSender.retryAfter(response).orElse(null));
    }
    return new SendOutcome.Permanent(reason);
  }

  private record Route(Optional<String> accountId, ChannelAccount account) {}
}
