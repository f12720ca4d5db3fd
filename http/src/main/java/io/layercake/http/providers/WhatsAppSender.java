package io.layercake.http.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layercake.config.ChannelSettings;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Sends conversation messages through the WhatsApp Cloud API: {@code POST
 * {graph}/{version}/{phone-number-id}/messages} with the organization's access token. Free text
 * only inside the customer's 24-hour window; templates any time. Meta's error codes decide
 * whether a failure is worth retrying.
 */
public final class WhatsAppSender implements ChannelPort {
  public static final String CHANNEL = "whatsapp";
  static final Duration WINDOW = Duration.ofHours(24);
  private static final String WINDOW_CLOSED =
      "outside WhatsApp's 24-hour customer service window: only a template can be sent";
  private static final String NO_NUMBER = "the agent has no WhatsApp number bound";
  private static final String NO_TOKEN = "the organization has no WhatsApp access token configured";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Rate limits and transient platform errors (providers.md A8). */
  private static final Set<Integer> RETRYABLE = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131056);
  private static final int OUTSIDE_WINDOW = 131047;

  private final ChannelSettings.WhatsApp settings;
  private final Duration timeout;
  private final ChannelDirectory directory;
  private final HttpClient client;
  /** Runs the sender's stages and its blocking provider calls: a pool that may block, never an actor's. */
  private final Executor executor;
  private final Clock clock;

  public WhatsAppSender(
      ChannelSettings.WhatsApp settings, Duration timeout, ChannelDirectory directory, HttpClient client, Executor executor,
      Clock clock) {
    this.settings = settings;
    this.timeout = timeout;
    this.directory = directory;
    this.client = client;
    this.executor = executor;
    this.clock = clock;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    if (message.template() == null && !insideWindow(message.lastInboundAt())) {
      return CompletableFuture.completedFuture(new SendOutcome.Permanent(WINDOW_CLOSED));
    }
    return directory.addressOf(message.agentId(), CHANNEL)
        .thenCombine(directory.account(message.orgId(), CHANNEL), (address, account) -> new Route(address, account))
        .thenCompose(route -> unroutable(route)
            .<CompletionStage<SendOutcome>>map(why -> CompletableFuture.completedFuture(new SendOutcome.Permanent(why)))
            .orElseGet(() -> post(route, message)));
  }

  private CompletionStage<SendOutcome> post(Route route, OutboundMessage message) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(
            settings.graphBaseUrl() + "/" + settings.apiVersion() + "/" + route.phoneNumberId().get() + "/messages"))
        .timeout(timeout)
        .header("Authorization", "Bearer " + route.account().accessToken().reveal())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(message)))
        .build();
    return BlockingExchange.send(client, request, executor)
        .handle((response, failure) -> failure != null
            ? new SendOutcome.Retryable("WhatsApp unreachable (" + failure.getClass().getSimpleName() + ")", null)
            : outcome(response));
  }

  /**
   * A free-text reply cannot go out once the 24-hour window closed, which a customer message Meta
   * delivered days late shows before the model writes anything: nothing is charged for it. Decided
   * from the conversation's own time alone, so a turn costs no lookup; a missing number or token is
   * still found by the send.
   */
  @Override
  public CompletionStage<Optional<String>> refusal(
      String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    return CompletableFuture.completedFuture(insideWindow(lastInboundAt) ? Optional.empty() : Optional.of(WINDOW_CLOSED));
  }

  private static Optional<String> unroutable(Route route) {
    if (route.phoneNumberId().isEmpty()) {
      return Optional.of(NO_NUMBER);
    }
    return route.account().accessToken().isEmpty() ? Optional.of(NO_TOKEN) : Optional.empty();
  }

  private boolean insideWindow(Instant lastInboundAt) {
    return lastInboundAt != null && lastInboundAt.plus(WINDOW).isAfter(clock.instant());
  }

  static String body(OutboundMessage message) {
    ObjectNode body = JSON.createObjectNode()
        .put("messaging_product", "whatsapp")
        .put("recipient_type", "individual")
        .put("to", message.contact());
    MessageTemplate template = message.template();
    if (template == null) {
      body.put("type", "text").putObject("text").put("preview_url", false).put("body", message.text());
    } else {
      ObjectNode content = body.put("type", "template").putObject("template").put("name", template.name());
      content.putObject("language").put("code", template.language());
      if (!template.parameters().isEmpty()) {
        ArrayNode parameters = content.putArray("components").addObject().put("type", "body").putArray("parameters");
        List<String> names = template.namedParameters();
        for (int i = 0; i < template.parameters().size(); i++) {
          ObjectNode parameter = parameters.addObject().put("type", "text");
          if (!names.isEmpty()) {
            parameter.put("parameter_name", names.get(i));
          }
          parameter.put("text", template.parameters().get(i));
        }
      }
    }
    return body.toString();
  }

  static SendOutcome outcome(HttpResponse<String> response) {
    JsonNode json = parse(response.body());
    if (response.statusCode() / 100 == 2) {
      String id = json.path("messages").path(0).path("id").asText("");
      return id.isEmpty() ? new SendOutcome.Permanent("WhatsApp accepted the message without an id") : new SendOutcome.Accepted(id);
    }
    JsonNode error = json.path("error");
    int code = error.path("code").asInt(0);
    String reason = "(#" + code + ") " + error.path("message").asText("HTTP " + response.statusCode())
        + detail(error.path("error_data").path("details").asText(""));
    if (code == OUTSIDE_WINDOW) {
      return new SendOutcome.Permanent("outside WhatsApp's 24-hour customer service window: only a template can be sent " + reason);
    }
    if (RETRYABLE.contains(code) || (code == 0 && (response.statusCode() == 429 || response.statusCode() >= 500))) {
      return new SendOutcome.Retryable(reason, retryAfter(response).orElse(null));
    }
    return new SendOutcome.Permanent(reason);
  }

  private static String detail(String details) {
    return details.isEmpty() ? "" : ": " + details;
  }

  static Optional<Duration> retryAfter(HttpResponse<String> response) {
    return response.headers().firstValue("Retry-After").flatMap(value -> {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private record Route(Optional<String> phoneNumberId, ChannelAccount account) {}
}
