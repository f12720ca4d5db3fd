package io.layercake.http.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.ChannelSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The server side of WhatsApp Embedded Signup, after the business finished Meta's flow in the
 * browser: the code Meta handed the page is exchanged for the business's token ({@code GET
 * oauth/access_token} with our app's id and secret), our app is subscribed to the business
 * account's webhooks ({@code POST {waba-id}/subscribed_apps}) and the number is registered for the
 * Cloud API ({@code POST {phone-number-id}/register} with its two-step PIN). Server to server only.
 */
public final class WhatsAppSignup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings.WhatsApp settings;
  private final Duration timeout;
  private final HttpClient client;
  private final Executor executor;

  public WhatsAppSignup(ChannelSettings.WhatsApp settings, Duration timeout, HttpClient client, Executor executor) {
    this.settings = settings;
    this.timeout = timeout;
    this.client = client;
    this.executor = executor;
  }

  /** The business's token for the code: one use, it expires in minutes. */
  public CompletionStage<String> exchange(String code) {
    String query = "client_id=" + encode(settings.appId()) + "&client_secret=" + encode(settings.appSecret().reveal())
        + "&code=" + encode(code);
    return call("exchanging the signup code", HttpRequest.newBuilder(uri("oauth/access_token?" + query)).GET(), null)
        .thenApply(json -> {
          String token = json.path("access_token").asText("");
          if (token.isEmpty()) {
            throw new GraphApiRefused("Meta answered the signup code without an access token");
          }
          return token;
        });
  }

  /** Our app hears the business account's webhooks (messages, statuses, template changes). */
  public CompletionStage<Void> subscribe(String businessAccountId, String token) {
    return call("subscribing to the business account's webhooks",
        HttpRequest.newBuilder(uri(encode(businessAccountId) + "/subscribed_apps")).POST(HttpRequest.BodyPublishers.noBody()), token)
        .thenApply(json -> null);
  }

  /** The number may send and receive through the Cloud API; {@code pin} is its two-step verification PIN. */
  public CompletionStage<Void> register(String phoneNumberId, String token, String pin) {
    String body = JSON.createObjectNode().put("messaging_product", "whatsapp").put("pin", pin).toString();
    return call("registering the number", HttpRequest.newBuilder(uri(encode(phoneNumberId) + "/register"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), token)
        .thenApply(json -> null);
  }

  private CompletionStage<JsonNode> call(String step, HttpRequest.Builder request, String token) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return BlockingExchange.send(client, request.timeout(timeout).build(), executor).handleAsync((response, failure) -> {
      if (failure != null) {
        throw new GraphApiRefused("Meta could not be reached while " + step + " ("
            + BlockingExchange.cause(failure).getClass().getSimpleName() + ")");
      }
      JsonNode json = parse(response);
      if (response.statusCode() / 100 != 2 || json.path("success").asText("true").equals("false")) {
        JsonNode error = json.path("error");
        throw new GraphApiRefused("Meta refused " + step + ": (#" + error.path("code").asInt(0) + ") "
            + error.path("message").asText("HTTP " + response.statusCode()));
      }
      return json;
    }, executor);
  }

  private URI uri(String path) {
    return URI.create(settings.graphBaseUrl() + "/" + settings.apiVersion() + "/" + path);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body() == null || response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
