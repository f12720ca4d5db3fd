package io.layercake.http.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.ChannelSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Infobip's numbers API: the numbers on offer in a country, buying one, cancelling it. Prices in cents. */
public final class InfobipNumbers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings.Infobip settings;
  private final Duration timeout;
  private final HttpClient client;
  private final Executor executor;

  public InfobipNumbers(ChannelSettings.Infobip settings, Duration timeout, HttpClient client, Executor executor) {
    this.settings = settings;
    this.timeout = timeout;
    this.client = client;
    this.executor = executor;
  }

  /** An available number and what Infobip charges for it. */
  public record Offer(String numberKey, String number, String country, long monthlyPriceCents, long setupPriceCents, String currency) {}

  public CompletionStage<List<Offer>> available(String country) {
    String query = "?capabilities=SMS&limit=20&country=" + URLEncoder.encode(country, StandardCharsets.UTF_8);
    return send(request("/numbers/1/numbers/available" + query).GET(), false).thenApplyAsync(json -> {
      List<Offer> offers = new ArrayList<>();
      for (JsonNode number : json.path("numbers")) {
        JsonNode price = number.path("price");
        offers.add(new Offer(number.path("numberKey").asText(), number.path("number").asText(), number.path("country").asText(country),
            cents(price.path("pricePerMonth")), cents(price.path("setupPrice")), price.path("currency").asText("EUR")));
      }
      return offers;
    }, executor);
  }

  /** Buys the number, linked to the platform's application and the organization's entity; answers the number. */
  public CompletionStage<String> purchase(String numberKey, String entityId) {
    String body = JSON.createObjectNode().put("numberKey", numberKey).put("applicationId", settings.applicationId())
        .put("entityId", entityId).toString();
    return send(request("/numbers/1/numbers").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), false)
        .thenApplyAsync(json -> json.path("number").asText(""), executor);
  }

  /** Cancels the number; one Infobip no longer knows counts as cancelled. */
  public CompletionStage<Void> cancel(String numberKey) {
    return send(request("/numbers/1/numbers/" + URLEncoder.encode(numberKey, StandardCharsets.UTF_8)).DELETE(), true)
        .thenApplyAsync(json -> null, executor);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(settings.baseUrl() + path)).timeout(timeout)
        .header("Authorization", "App " + settings.apiKey().reveal()).header("Accept", "application/json");
  }

  private CompletionStage<JsonNode> send(HttpRequest.Builder request, boolean goneIsFine) {
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApplyAsync(response -> {
      if (response.statusCode() / 100 != 2 && !(goneIsFine && response.statusCode() == 404)) {
        throw new IllegalStateException("Infobip answered HTTP " + response.statusCode());
      }
      try {
        return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
      } catch (IOException e) {
        throw new IllegalStateException("Infobip answered with something that is not JSON", e);
      }
    }, executor);
  }

  private static long cents(JsonNode amount) {
    return amount.isMissingNode() || amount.isNull() ? 0
        : new BigDecimal(amount.asText("0")).movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }
}
