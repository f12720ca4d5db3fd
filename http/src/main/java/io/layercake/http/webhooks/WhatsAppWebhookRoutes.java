package io.layercake.http.webhooks;

import io.layercake.config.ChannelSettings;
import io.layercake.http.providers.WhatsAppSender;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.PhoneNumbers;
import io.layercake.runtime.outreach.WhatsAppTemplates;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WhatsApp Cloud API webhook ({@link MetaWebhook}: handshake, signature before parsing). Inbound messages go to the
 * conversation of the agent bound to the receiving number; the answer is 200 only once every one
 * of them is persisted (Meta retries anything else, and duplicates are harmless); reactions,
 * stickers, unsupported and system messages are recorded without a turn. Statuses update the
 * delivery state of our messages; template status changes move our copy of the template.
 */
public final class WhatsAppWebhookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(WhatsAppWebhookRoutes.class);

  private final MetaWebhook webhook;
  private final ChannelDirectory directory;
  private final Sessions sessions;
  private final WhatsAppTemplates templates;
  private final Clock clock;

  public WhatsAppWebhookRoutes(ChannelSettings.WhatsApp settings, ChannelDirectory directory, Sessions sessions,
      WhatsAppTemplates templates, Clock clock) {
    this.templates = templates;
    this.clock = clock;
    this.webhook = new MetaWebhook(settings, "WhatsApp");
    this.directory = directory;
    this.sessions = sessions;
  }

  public Route routes() {
    return pathPrefix("webhooks", () -> path("whatsapp", () -> concat(get(webhook::verify),
        post(() -> webhook.receive(json -> apply(WhatsAppPayload.parse(json)))))));
  }

  /**
   * Completes once every inbound message and status of the notification is persisted (or known). The
   * lookups are cached, so the work goes on on the request's own thread: a hop would only wake another.
   */
  private CompletionStage<Void> apply(WhatsAppPayload payload) {
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (WhatsAppPayload.Inbound message : payload.messages()) {
      work.add(directory.agentAt(WhatsAppSender.CHANNEL, message.phoneNumberId())
          .thenCompose(binding -> binding.isEmpty()
              ? ignored("a message to the unbound number " + message.phoneNumberId())
              : receive(binding.get().orgId(), binding.get().agentId(), message))
          .toCompletableFuture());
    }
    for (WhatsAppPayload.Status status : payload.statuses()) {
      work.add(directory.agentAt(WhatsAppSender.CHANNEL, status.phoneNumberId())
          .thenCompose(binding -> {
            Optional<String> contact = PhoneNumbers.e164(status.recipientId());
            if (binding.isEmpty() || contact.isEmpty()) {
              return ignored("a status for the unbound number " + status.phoneNumberId());
            }
            String sessionId = new SessionKey(binding.get().agentId(), WhatsAppSender.CHANNEL, contact.get()).sessionId();
            return sessions.deliveryReceipt(sessionId, status.messageId(), status.status(), status.reason())
                .thenApply(reply -> (Object) reply);
          })
          .toCompletableFuture());
    }
    for (WhatsAppPayload.TemplateStatus status : payload.templateStatuses()) {
      work.add(directory.accountWithEntity(WhatsAppSender.CHANNEL, status.businessAccountId())
          .thenCompose(account -> account.isEmpty()
              ? ignored("a template status for the unknown business account " + status.businessAccountId())
              : templates.statusChanged(account.get().orgId(), status.templateId(), status.status(), status.reason(), clock.instant())
                  .thenApply(moved -> {
                    log.info("WhatsApp template {} ({}) of org {} is now {} ({}); {} copy moved", status.name(), status.language(),
                        account.get().orgId(), status.status(), status.reason(), moved);
                    return (Object) moved;
                  }))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
  }

  private CompletionStage<Object> receive(String orgId, String agentId, WhatsAppPayload.Inbound message) {
    Optional<String> contact = PhoneNumbers.e164(message.from());
    if (contact.isEmpty()) {
      return ignored("a message from " + message.from() + ", which is not a phone number");
    }
    String text = message.text().length() > 4_096 ? message.text().substring(0, 4_096) : message.text();
    return sessions.receive(new InboundMessage(orgId, agentId, WhatsAppSender.CHANNEL, contact.get(), message.messageId(),
            text, message.kind(), message.reactsTo(), message.sentAt()))
        .thenApply(reply -> {
          if (reply instanceof SessionReply.Rejected rejected) {
            log.warn("WhatsApp message {} for agent {} refused: {}", message.messageId(), agentId, rejected.message());
          }
          return reply;
        });
  }

  private static CompletionStage<Object> ignored(String what) {
    log.warn("WhatsApp webhook: ignored {}", what);
    return CompletableFuture.completedFuture(ByteString.emptyByteString());
  }
}
