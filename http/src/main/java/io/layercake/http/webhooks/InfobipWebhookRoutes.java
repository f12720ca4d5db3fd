package io.layercake.http.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.ChannelSettings;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.PhoneNumbers;
import io.layercake.runtime.channel.ReplyNumbers;
import io.layercake.runtime.channel.SentMessages;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Infobip's webhooks: inbound SMS ({@code /webhooks/infobip/{token}/sms}) and delivery reports
 * ({@code /webhooks/infobip/{token}/reports}). Infobip does not sign its webhooks, so the URLs
 * carry a secret token, checked in constant time before the body is read. An inbound SMS belongs
 * to the organization of its {@code entityId} first, of the receiving number second; the receiving
 * number is remembered for the conversation before the message is received, so the answer goes
 * out from it. A delivery report belongs to the conversation its {@code callbackData} names when
 * that is one of ours, else to the conversation that sent its {@code messageId} (reports to an
 * account-level subscription may carry another system's callbackData, or none).
 */
public final class InfobipWebhookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(InfobipWebhookRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Our callbackData: the id of the conversation that sent the SMS ({@code SessionKey.sessionId()}). */
  private static final java.util.regex.Pattern OUR_REFERENCE = java.util.regex.Pattern.compile("s-[0-9a-f]{32}");

  private final ChannelSettings.Infobip settings;
  private final ChannelDirectory directory;
  private final Sessions sessions;
  private final ReplyNumbers replyNumbers;
  private final SentMessages sentMessages;
  private final Executor executor;

  public InfobipWebhookRoutes(ChannelSettings.Infobip settings, ChannelDirectory directory, Sessions sessions,
      ReplyNumbers replyNumbers, SentMessages sentMessages, Executor executor) {
    this.settings = settings;
    this.directory = directory;
    this.sessions = sessions;
    this.replyNumbers = replyNumbers;
    this.sentMessages = sentMessages;
    this.executor = executor;
  }

  public Route routes() {
    return pathPrefix("webhooks", () -> pathPrefix("infobip", () -> pathPrefix(token -> concat(
        path("sms", () -> post(() -> authorized(token, () -> results(this::inbound)))),
        path("reports", () -> post(() -> authorized(token, () -> results(this::report))))))));
  }

  private Route authorized(String token, java.util.function.Supplier<Route> inner) {
    if (settings.webhookToken().isEmpty()) {
      return complete(ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "infobip_not_configured",
          "the Infobip webhook token is not configured"));
    }
    return settings.webhookToken().matches(token)
        ? inner.get()
        : complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "invalid_token", "the webhook URL's token is wrong"));
  }

  private Route results(java.util.function.Function<JsonNode, CompletionStage<?>> each) {
    return entity(Unmarshaller.entityToByteString(), body -> {
      JsonNode json;
      try {
        json = JSON.readTree(body.toArray());
      } catch (IOException e) {
        return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not JSON"));
      }
      if (json == null || !json.path("results").isArray()) {
        return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "malformed_json", "the body needs a results array"));
      }
      List<CompletableFuture<?>> work = new ArrayList<>();
      json.path("results").forEach(result -> work.add(each.apply(result).toCompletableFuture()));
      return onComplete(CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)), done -> done.isSuccess()
          ? complete(StatusCodes.OK, Map.of("status", "received"), Json.marshaller())
          : complete(ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
              "the messages could not be stored; it is safe to retry")));
    });
  }

  private CompletionStage<?> inbound(JsonNode result) {
    String messageId = result.path("messageId").asText("");
    Optional<String> from = PhoneNumbers.e164(result.path("from").asText(""));
    Optional<String> to = PhoneNumbers.e164(result.path("to").asText(""));
    String entityId = entityId(result);
    String text = result.path("text").asText("");
    if (messageId.isEmpty() || from.isEmpty() || to.isEmpty() || text.isBlank()) {
      return ignored("an inbound SMS without messageId, from, to or text");
    }
    CompletionStage<Optional<ChannelAccount>> byEntity = entityId.isEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : directory.accountWithEntity(SmsSegments.CHANNEL, entityId);
    return byEntity.thenCombineAsync(directory.agentAt(SmsSegments.CHANNEL, to.get()), Target::new, executor)
        .thenComposeAsync(target -> target.agent(directory, executor), executor)
        .thenComposeAsync(agent -> agent.isEmpty()
            ? ignored("an SMS to " + to.get() + " that no organization's number or entity claims")
            : replyNumbers.remember(
                    new SessionKey(agent.get().agentId(), SmsSegments.CHANNEL, from.get()).sessionId(), to.get())
                .thenComposeAsync(remembered -> sessions.receive(new InboundMessage(agent.get().orgId(),
                    agent.get().agentId(), SmsSegments.CHANNEL, from.get(), messageId,
                    text.length() > 4_096 ? text.substring(0, 4_096) : text)), executor)
                .thenApply(reply -> {
                  if (reply instanceof SessionReply.Rejected rejected) {
                    log.warn("SMS {} refused: {}", messageId, rejected.message());
                  }
                  return reply;
                }), executor);
  }

  private CompletionStage<?> report(JsonNode result) {
    String callbackData = result.path("callbackData").asText("");
    String messageId = result.path("messageId").asText("");
    DeliveryStatus status = switch (result.path("status").path("groupName").asText("")) {
      case "DELIVERED" -> DeliveryStatus.DELIVERED;
      case "UNDELIVERABLE", "EXPIRED", "REJECTED" -> DeliveryStatus.FAILED;
      default -> null;
    };
    if (messageId.isEmpty() || status == null) {
      return CompletableFuture.completedFuture(null);
    }
    JsonNode error = result.path("error");
    String reason = status != DeliveryStatus.FAILED ? null
        : result.path("status").path("name").asText("") + (error.path("name").asText("").isEmpty() || "NO_ERROR".equals(error.path("name").asText())
            ? "" : " (" + error.path("name").asText() + ")");
    CompletionStage<Optional<String>> session = OUR_REFERENCE.matcher(callbackData).matches()
        ? CompletableFuture.completedFuture(Optional.of(callbackData))
        : sentMessages.sessionOf(SmsSegments.CHANNEL, messageId);
    return session.thenComposeAsync(sessionId -> {
      if (sessionId.isEmpty()) {
        // Another system's SMS on a shared account, or ours before the read model recorded the send.
        log.debug("Infobip webhook: ignored a delivery report for {}, which no conversation sent (yet)", messageId);
        return CompletableFuture.completedFuture(null);
      }
      return sessions.deliveryReceipt(sessionId.get(), messageId, status, reason);
    }, executor);
  }

  /** Top-level {@code entityId} (v2 shapes) or {@code platform.entityId} (v3 shapes). */
  private static String entityId(JsonNode result) {
    String top = result.path("entityId").asText("");
    return top.isEmpty() ? result.path("platform").path("entityId").asText("") : top;
  }

  private static CompletionStage<Object> ignored(String what) {
    log.warn("Infobip webhook: ignored {}", what);
    return CompletableFuture.completedFuture(null);
  }

  /** Who an inbound SMS is for: the organization of its entity, and the binding of its receiving number. */
  private record Target(Optional<ChannelAccount> byEntity, Optional<Binding> byNumber) {
    /** The agent: the number's, when it belongs to the entity's organization (or there is no entity); else the organization's first SMS agent. */
    CompletionStage<Optional<Binding>> agent(ChannelDirectory directory, Executor executor) {
      if (byEntity.isEmpty()) {
        return CompletableFuture.completedFuture(byNumber);
      }
      String orgId = byEntity.get().orgId();
      if (byNumber.isPresent() && byNumber.get().orgId().equals(orgId)) {
        return CompletableFuture.completedFuture(byNumber);
      }
      return directory.bindings(orgId).thenApplyAsync(bindings -> bindings.stream()
          .filter(binding -> binding.channel().equals(SmsSegments.CHANNEL)).findFirst(), executor);
    }
  }
}
