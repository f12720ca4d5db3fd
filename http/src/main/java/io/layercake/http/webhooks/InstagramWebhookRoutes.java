package io.layercake.http.webhooks;

import io.layercake.config.ChannelSettings;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.channel.MessagingWindows;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instagram direct messages through the Messenger Platform webhook of our Meta app ({@link
 * MetaWebhook}: handshake, signature before parsing). A message to a business account goes to the
 * conversation of the agent bound to that account, one per Instagram user and agent; a redelivery
 * is recognized by its message id. Reactions are recorded on the message they react to; read
 * receipts move our messages to read.
 */
public final class InstagramWebhookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(InstagramWebhookRoutes.class);
  private static final String CHANNEL = MessagingWindows.INSTAGRAM;

  private final MetaWebhook webhook;
  private final ChannelDirectory directory;
  private final Sessions sessions;
  private final Executor executor;

  public InstagramWebhookRoutes(ChannelSettings.WhatsApp metaApp, ChannelDirectory directory, Sessions sessions, Executor executor) {
    this.webhook = new MetaWebhook(metaApp, "Instagram");
    this.directory = directory;
    this.sessions = sessions;
    this.executor = executor;
  }

  public Route routes() {
    return pathPrefix("webhooks", () -> path("instagram", () -> concat(get(webhook::verify),
        post(() -> webhook.receive(json -> apply(InstagramPayload.parse(json)))))));
  }

  private CompletionStage<Void> apply(InstagramPayload payload) {
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (InstagramPayload.Inbound message : payload.messages()) {
      work.add(directory.agentAt(CHANNEL, message.accountId())
          .thenComposeAsync(binding -> binding.isEmpty()
              ? ignored("a message to the unbound account " + message.accountId())
              : receive(binding.get().orgId(), binding.get().agentId(), message), executor)
          .toCompletableFuture());
    }
    for (InstagramPayload.Read read : payload.reads()) {
      work.add(directory.agentAt(CHANNEL, read.accountId())
          .thenComposeAsync(binding -> binding.isEmpty()
              ? ignored("a read receipt for the unbound account " + read.accountId())
              : sessions.deliveryReceipt(new SessionKey(binding.get().agentId(), CHANNEL, read.from()).sessionId(), read.messageId(),
                  DeliveryStatus.READ, null).thenApply(reply -> (Object) reply), executor)
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
  }

  private CompletionStage<Object> receive(String orgId, String agentId, InstagramPayload.Inbound message) {
    String text = message.text().length() > 4_096 ? message.text().substring(0, 4_096) : message.text();
    return sessions.receive(new InboundMessage(orgId, agentId, CHANNEL, message.from(), message.messageId(), text, message.kind(),
            message.reactsTo(), message.sentAt()))
        .thenApply(reply -> {
          if (reply instanceof SessionReply.Rejected rejected) {
            log.warn("Instagram message {} for agent {} of org {} refused: {}", message.messageId(), agentId, orgId, rejected.message());
          }
          return reply;
        });
  }

  private static CompletionStage<Object> ignored(String what) {
    log.warn("Instagram webhook: ignored {}", what);
    return CompletableFuture.completedFuture(what);
  }
}
