package io.layercake.http.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.NotificationSettings;
import io.layercake.runtime.notifications.Notification;
import io.layercake.runtime.notifications.NotificationDeliveries;
import io.layercake.runtime.notifications.NotificationSender;
import io.layercake.runtime.notifications.Priority;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Pushover's messages API: {@code POST /1/messages.json}, form-encoded, with the platform's
 * application token and the person's user key. Priority maps to Pushover's (critical: 2, which
 * repeats every minute for an hour until acknowledged). A 4xx answer (a bad key, a refused token)
 * is not tried again; 429, 5xx and network failures are.
 */
public final class PushoverSender implements NotificationSender {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_MESSAGE = 1024;
  private static final int MAX_TITLE = 250;

  private final NotificationSettings.Pushover settings;
  private final Duration timeout;
  private final Supplier<String> baseUrl;
  private final HttpClient client;
  private final Executor blocking;

  public PushoverSender(NotificationSettings.Pushover settings, Duration timeout, Supplier<String> baseUrl, HttpClient client,
      Executor blocking) {
    this.settings = settings;
    this.timeout = timeout;
    this.baseUrl = baseUrl;
    this.client = client;
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<String> send(NotificationDeliveries.Due due) {
    if (due.recipient().pushoverKey().isEmpty()) {
      throw new Undeliverable("no Pushover user key");
    }
    Notification notification = due.first();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", settings.appToken().reveal());
    form.put("user", due.recipient().pushoverKey().get());
    form.put("title", cut(notification.title(), MAX_TITLE));
    form.put("message", cut(notification.body().isBlank() ? notification.title() : notification.body(), MAX_MESSAGE));
    form.put("priority", Integer.toString(notification.priority().pushoverPriority()));
    if (notification.priority() == Priority.CRITICAL) {
      form.put("retry", "60");
      form.put("expire", "3600");
    }
    if (notification.link() != null) {
      form.put("url", baseUrl.get() + notification.link());
      form.put("url_title", "Open in Layercake");
    }
    form.put("timestamp", Long.toString(notification.createdAt().getEpochSecond()));
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.apiUrl().replaceAll("/+$", "") + "/1/messages.json"))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
            .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"))))
        .build();
    return BlockingExchange.send(client, request, blocking).thenApply(PushoverSender::receipt);
  }

  private static String receipt(HttpResponse<String> response) {
    JsonNode body = read(response.body());
    int status = response.statusCode();
    if (status == 200 && body.path("status").asInt() == 1) {
      return "pushover request " + body.path("request").asText();
    }
    String errors = body.path("errors").isArray() && body.path("errors").size() > 0
        ? java.util.stream.StreamSupport.stream(body.path("errors").spliterator(), false).map(JsonNode::asText)
            .collect(Collectors.joining("; "))
        : "HTTP " + status;
    if (status >= 400 && status < 500 && status != 429) {
      throw new Undeliverable("Pushover refused it: " + errors);
    }
    throw new IllegalStateException("Pushover answered " + status + ": " + errors);
  }

  private static JsonNode read(String body) {
    try {
      return MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
