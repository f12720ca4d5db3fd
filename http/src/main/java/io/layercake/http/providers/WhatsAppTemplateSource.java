package io.layercake.http.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.ChannelSettings;
import io.layercake.runtime.outreach.WhatsAppTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lists a business account's message templates through the Graph API: {@code GET
 * {graph}/{version}/{waba-id}/message_templates} with the organization's token, page after page
 * (the {@code after} cursor; at most {@value #MAX_PAGES} pages of {@value #PAGE_SIZE}). Only our
 * configured Graph address is ever called: a page's {@code next} URL is not followed, its cursor is.
 */
public final class WhatsAppTemplateSource {
  static final int PAGE_SIZE = 100;
  static final int MAX_PAGES = 20;
  private static final String FIELDS = "id,name,language,status,category,components";
  private static final Pattern PARAMETER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_]{1,64})\\s*}}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings.WhatsApp settings;
  private final Duration timeout;
  private final HttpClient client;
  private final Executor executor;
  private final Clock clock;

  public WhatsAppTemplateSource(ChannelSettings.WhatsApp settings, Duration timeout, HttpClient client, Executor executor, Clock clock) {
    this.settings = settings;
    this.timeout = timeout;
    this.client = client;
    this.executor = executor;
    this.clock = clock;
  }

  public CompletionStage<List<WhatsAppTemplate>> list(String businessAccountId, String accessToken) {
    return page(businessAccountId, accessToken, null, new ArrayList<>(), 1);
  }

  private CompletionStage<List<WhatsAppTemplate>> page(String account, String token, String after, List<WhatsAppTemplate> found,
      int number) {
    String query = "fields=" + FIELDS + "&limit=" + PAGE_SIZE + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.graphBaseUrl() + "/" + settings.apiVersion() + "/"
            + URLEncoder.encode(account, StandardCharsets.UTF_8) + "/message_templates?" + query))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .GET()
        .build();
    return BlockingExchange.send(client, request, executor).handleAsync((response, failure) -> {
      if (failure != null) {
        throw new GraphApiRefused("WhatsApp could not be reached (" + BlockingExchange.cause(failure).getClass().getSimpleName() + ")");
      }
      JsonNode json = parse(response);
      if (response.statusCode() / 100 != 2) {
        JsonNode error = json.path("error");
        throw new GraphApiRefused("WhatsApp refused the template list: (#" + error.path("code").asInt(0) + ") "
            + error.path("message").asText("HTTP " + response.statusCode()));
      }
      json.path("data").forEach(template -> found.add(template(template)));
      return json;
    }, executor).thenComposeAsync(json -> {
      String next = json.path("paging").path("cursors").path("after").asText("");
      boolean more = !json.path("paging").path("next").asText("").isEmpty() && !next.isEmpty();
      return more && number < MAX_PAGES ? page(account, token, next, found, number + 1)
          : CompletableFuture.completedFuture(List.copyOf(found));
    }, executor);
  }

  private WhatsAppTemplate template(JsonNode template) {
    String body = "";
    for (JsonNode component : template.path("components")) {
      if ("BODY".equalsIgnoreCase(component.path("type").asText())) {
        body = component.path("text").asText("");
      }
    }
    Set<String> parameters = new LinkedHashSet<>();
    Matcher parameter = PARAMETER.matcher(body);
    while (parameter.find()) {
      parameters.add(parameter.group(1));
    }
    return new WhatsAppTemplate(template.path("id").asText(), template.path("name").asText(), template.path("language").asText(),
        template.path("category").asText("UTILITY"), template.path("status").asText("PENDING"), cut(body, 4000),
        List.copyOf(parameters), clock.instant());
  }

  private static String cut(String text, int most) {
    return text.length() <= most ? text : text.substring(0, most);
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body() == null || response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }
}
