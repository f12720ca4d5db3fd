package io.layercake.http.providers;

import io.layercake.config.ChannelSettings;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.SmsSegments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each organization's Infobip entity under the platform's application, created on its first
 * platform SMS and stored. Creation is idempotent: one request per organization at a time on this
 * node, the entity id is derived from the organization, and Infobip's 409 (it exists) counts as done.
 */
public final class InfobipEntities {
  private static final Logger log = LoggerFactory.getLogger(InfobipEntities.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final ChannelSettings.Infobip settings;
  private final Duration timeout;
  private final ChannelDirectory directory;
  private final HttpClient client;
  private final Executor executor;
  private final Map<String, CompletableFuture<String>> inFlight = new ConcurrentHashMap<>();

  public InfobipEntities(ChannelSettings.Infobip settings, Duration timeout, ChannelDirectory directory, HttpClient client,
      Executor executor) {
    this.settings = settings;
    this.timeout = timeout;
    this.directory = directory;
    this.client = client;
    this.executor = executor;
  }

  /** The organization's entity id, created at Infobip first if it has none yet. */
  public CompletionStage<String> ensure(String orgId) {
    return directory.account(orgId, SmsSegments.CHANNEL).thenComposeAsync(account -> account.entityId() != null
        ? CompletableFuture.completedFuture(account.entityId())
        : singleFlight(orgId), executor);
  }

  /**
   * One creation per organization at a time; callers meanwhile share its outcome. The flight starts
   * outside the map's update: a flight that ends at once (the entity found stored) leaves the map
   * from the same thread, which inside {@code computeIfAbsent} fails as a recursive update.
   */
  private CompletableFuture<String> singleFlight(String orgId) {
    CompletableFuture<String> flight = new CompletableFuture<>();
    CompletableFuture<String> running = inFlight.putIfAbsent(orgId, flight);
    if (running != null) {
      return running;
    }
    createUnlessStored(orgId).whenComplete((entityId, failure) -> {
      inFlight.remove(orgId, flight);
      if (failure != null) {
        flight.completeExceptionally(failure);
      } else {
        flight.complete(entityId);
      }
    });
    return flight;
  }

  /**
   * Reads again inside the single flight: a caller that read before another flight stored the
   * entity, and arrives after that flight ended, finds it stored instead of creating it again.
   */
  private CompletableFuture<String> createUnlessStored(String orgId) {
    return directory.account(orgId, SmsSegments.CHANNEL)
        .thenComposeAsync(account -> account.entityId() != null
            ? CompletableFuture.completedFuture(account.entityId())
            : create(orgId), executor)
        .toCompletableFuture();
  }

  /** Infobip will not create the entity; asking again will not help. */
  public static final class EntityRefused extends RuntimeException {
    EntityRefused(String message) {
      super(message);
    }
  }

  public static String entityIdFor(String orgId) {
    return "org-" + orgId;
  }

  private CompletableFuture<String> create(String orgId) {
    String entityId = entityIdFor(orgId);
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/provisioning/1/entities"))
        .timeout(timeout)
        .header("Authorization", "App " + settings.apiKey().reveal())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            JSON.createObjectNode().put("entityId", entityId).put("entityName", orgId).toString()))
        .build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenComposeAsync(response -> {
          if (response.statusCode() / 100 == 4 && response.statusCode() != 409 && response.statusCode() != 429) {
            throw new EntityRefused("Infobip refused to create entity " + entityId + " (HTTP " + response.statusCode() + ")");
          }
          if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
            throw new IllegalStateException("Infobip could not create entity " + entityId + " (HTTP " + response.statusCode() + ")");
          }
          log.info("Infobip entity {} ready for organization {}", entityId, orgId);
          return directory.account(orgId, SmsSegments.CHANNEL)
              .thenComposeAsync(current -> directory.saveAccount(
                  new ChannelAccount(orgId, SmsSegments.CHANNEL, current.accessToken(), current.senderId(), entityId)), executor)
              .thenApply(saved -> entityId);
        }, executor)
        .toCompletableFuture();
  }
}
