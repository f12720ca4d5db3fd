package io.layercake.http.providers;

import io.layercake.runtime.concurrent.Stages;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layercake.config.Catalog;
import io.layercake.config.ChannelSettings;
import io.layercake.config.Tier;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.PhoneNumbers;
import io.layercake.runtime.channel.ReplyNumbers;
import io.layercake.runtime.channel.SendOutcome;
import io.layercake.runtime.channel.SmsSegments;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS through Infobip ({@code POST /sms/2/text/advanced}, {@code Authorization: App <key>}),
 * each message under the platform's application and the organization's entity. An answer to a
 * customer who wrote in goes out from the number the customer wrote to (an alphanumeric sender
 * cannot be answered); a message the organization starts (a follow-up) from the organization's
 * alphanumeric sender id. Without either: the organization's own number, else the platform default.
 * Platform SMS is a tier feature: organizations on a tier without it get nothing sent. Every SMS
 * asks for its delivery reports at our reports webhook ({@code notifyUrl}) when the public base
 * URL and the webhook token are configured; without them reports arrive only through an
 * account-level subscription.
 */
public final class InfobipSmsSender implements ChannelPort {
  private static final Logger log = LoggerFactory.getLogger(InfobipSmsSender.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings.Infobip settings;
  private final Duration timeout;
  private final ChannelDirectory directory;
  private final InfobipEntities entities;
  private final Organizations organizations;
  private final Catalog catalog;
  private final BillingRecords billing;
  private final ReplyNumbers replyNumbers;
  private final Optional<String> notifyUrl;
  private final HttpClient client;
  /** Runs the sender's stages and its blocking provider calls: a pool that may block, never an actor's. */
  private final Executor executor;

  /** {@code publicBaseUrl}: where Infobip reaches our webhooks ({@code layercake.http.public-base-url}), or empty. */
  public InfobipSmsSender(ChannelSettings.Infobip settings, String publicBaseUrl, Duration timeout,
      ChannelDirectory directory, InfobipEntities entities, Organizations organizations, Catalog catalog,
      BillingRecords billing, ReplyNumbers replyNumbers, HttpClient client, Executor executor) {
    this.settings = settings;
    this.notifyUrl = notifyUrl(publicBaseUrl, settings);
    if (notifyUrl.isEmpty()) {
      log.info("SMS are sent without notifyUrl (layercake.http.public-base-url or the Infobip webhook token is empty):"
          + " delivery reports arrive only if the Infobip account subscribes"
          + " /webhooks/infobip/{token}/reports to them");
    }
    this.timeout = timeout;
    this.directory = directory;
    this.entities = entities;
    this.organizations = organizations;
    this.catalog = catalog;
    this.billing = billing;
    this.replyNumbers = replyNumbers;
    this.client = client;
    this.executor = executor;
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    Optional<String> to = PhoneNumbers.e164(message.contact());
    if (to.isEmpty()) {
      return CompletableFuture.completedFuture(new SendOutcome.Permanent(message.contact() + " is not a phone number"));
    }
    return organizations.summary(message.orgId()).thenComposeAsync(reply -> {
      if (!(reply instanceof OrgEntity.Accepted accepted)) {
        return CompletableFuture.completedFuture(new SendOutcome.Permanent("organization " + message.orgId() + " does not exist"));
      }
      if (!catalog.tier(accepted.summary().tier()).map(Tier::platformSms).orElse(false)) {
        return CompletableFuture.completedFuture(new SendOutcome.Permanent(
            "platform SMS is not included in the " + accepted.summary().tier() + " tier"));
      }
      return entities.ensure(message.orgId())
          .thenCombineAsync(directory.account(message.orgId(), SmsSegments.CHANNEL), Sending::new, executor)
          .thenCombineAsync(numbers(message),
              (sending, numbers) -> sending.from(sender(sending.account(), numbers, message)), executor)
          .thenComposeAsync(sending -> post(sending, to.get(), message), executor);
    }, executor).exceptionally(failure -> {
      Throwable cause = Stages.cause(failure);
      return cause instanceof InfobipEntities.EntityRefused refused
          ? new SendOutcome.Permanent(refused.getMessage())
          : new SendOutcome.Retryable("Infobip could not be reached (" + cause.getClass().getSimpleName() + ")", null);
    });
  }

  /** The number the customer wrote to (answers only), and the organization's own number. */
  private CompletionStage<Numbers> numbers(OutboundMessage message) {
    CompletionStage<Optional<String>> wroteTo = message.answersCustomer()
        ? replyNumbers.of(message.sessionId())
        : CompletableFuture.completedFuture(Optional.empty());
    return wroteTo.thenCombineAsync(ownNumber(message), Numbers::new, executor);
  }

  /**
   * What stops any SMS to the contact before a reply is written: not a phone number, a tier without
   * platform SMS, no sender at all. Empty when a send may work (or this cannot be told now: the send decides).
   */
  @Override
  public CompletionStage<Optional<String>> refusal(
      String channel, String orgId, String agentId, String contact, Instant lastInboundAt) {
    if (PhoneNumbers.e164(contact).isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(contact + " is not a phone number"));
    }
    OutboundMessage probe = new OutboundMessage(null, orgId, agentId, channel, contact, null, null, null, null);
    return organizations.summary(orgId).thenComposeAsync(reply -> {
      if (!(reply instanceof OrgEntity.Accepted accepted)) {
        return CompletableFuture.completedFuture(Optional.of("organization " + orgId + " does not exist"));
      }
      if (!catalog.tier(accepted.summary().tier()).map(Tier::platformSms).orElse(false)) {
        return CompletableFuture.completedFuture(
            Optional.of("platform SMS is not included in the " + accepted.summary().tier() + " tier"));
      }
      return directory.account(orgId, SmsSegments.CHANNEL).thenCombineAsync(ownNumber(probe), (account, number) -> {
        String from = sender(account, new Numbers(Optional.empty(), number), probe);
        return from == null || from.isBlank()
            ? Optional.of("no SMS sender: the organization has no sender id or number and there is no platform default")
            : Optional.<String>empty();
      }, executor);
    }, executor).exceptionally(failure -> Optional.empty());
  }

  /** The organization's active SMS number (bought through billing), else the agent's bound number. */
  private CompletionStage<Optional<String>> ownNumber(OutboundMessage message) {
    return billing.numbers(message.orgId()).thenComposeAsync(numbers -> {
      Optional<String> bought = numbers.stream()
          .filter(number -> number.status() == BillingRecords.SmsNumber.Status.ACTIVE && number.number() != null)
          .map(BillingRecords.SmsNumber::number)
          .findFirst();
      return bought.isPresent()
          ? CompletableFuture.completedFuture(bought)
          : directory.addressOf(message.agentId(), SmsSegments.CHANNEL);
    }, executor);
  }

  /**
   * An answer to a customer: the number they wrote to, else the organization's own number. A message
   * the organization starts: its alphanumeric sender. Otherwise the own number, else the platform default.
   */
  static String sender(ChannelAccount account, Numbers numbers, OutboundMessage message, String platformDefault) {
    if (message.answersCustomer()) {
      Optional<String> number = numbers.wroteTo().or(numbers::own);
      if (number.isPresent()) {
        return PhoneNumbers.withoutPlus(number.get());
      }
    }
    if (account.senderId() != null) {
      return account.senderId();
    }
    return numbers.own().map(PhoneNumbers::withoutPlus).orElse(platformDefault);
  }

  private String sender(ChannelAccount account, Numbers numbers, OutboundMessage message) {
    return sender(account, numbers, message, settings.defaultSender());
  }

  /** The number the customer wrote to (known for answers) and the organization's own number. */
  record Numbers(Optional<String> wroteTo, Optional<String> own) {}

  private CompletionStage<SendOutcome> post(Sending sending, String to, OutboundMessage message) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode sms = body.putArray("messages").addObject()
        .put("from", sending.from())
        .put("text", message.text())
        .put("applicationId", settings.applicationId())
        .put("entityId", sending.entityId())
        .put("callbackData", message.sessionId());
    notifyUrl.ifPresent(url -> sms.put("notifyUrl", url).put("notifyContentType", "application/json"));
    sms.putArray("destinations").addObject().put("to", PhoneNumbers.withoutPlus(to));
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + "/sms/2/text/advanced"))
        .timeout(timeout)
        .header("Authorization", "App " + settings.apiKey().reveal())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    return BlockingExchange.send(client, request, executor)
        .handleAsync((response, failure) -> failure != null
            ? new SendOutcome.Retryable("Infobip unreachable (" + failure.getClass().getSimpleName() + ")", null)
            : outcome(response), executor);
  }

  /** Our delivery reports webhook under the public base URL; empty when either is not configured. */
  static Optional<String> notifyUrl(String publicBaseUrl, ChannelSettings.Infobip settings) {
    if (publicBaseUrl == null || publicBaseUrl.isBlank() || settings.webhookToken().isEmpty()) {
      return Optional.empty();
    }
    String base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    return Optional.of(base + "/webhooks/infobip/" + settings.webhookToken().reveal() + "/reports");
  }

  static SendOutcome outcome(HttpResponse<String> response) {
    JsonNode json = parse(response.body());
    if (response.statusCode() / 100 == 2) {
      JsonNode sent = json.path("messages").path(0);
      String group = sent.path("status").path("groupName").asText("");
      if ("REJECTED".equals(group) || "UNDELIVERABLE".equals(group)) {
        return new SendOutcome.Permanent(sent.path("status").path("name").asText(group) + ": "
            + sent.path("status").path("description").asText(""));
      }
      String id = sent.path("messageId").asText("");
      return id.isEmpty() ? new SendOutcome.Permanent("Infobip accepted the SMS without an id") : new SendOutcome.Accepted(id);
    }
    String reason = "HTTP " + response.statusCode() + ": "
        + json.path("requestError").path("serviceException").path("text").asText("no details");
    return response.statusCode() == 429 || response.statusCode() >= 500
        ? new SendOutcome.Retryable(reason, null)
        : new SendOutcome.Permanent(reason);
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** What one send needs: the entity, the organization's account and the chosen sender. */
  private record Sending(String entityId, ChannelAccount account, String from) {
    Sending(String entityId, ChannelAccount account) {
      this(entityId, account, null);
    }

    Sending from(String sender) {
      return new Sending(entityId, account, sender);
    }
  }
}
