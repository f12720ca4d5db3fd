package io.layercake.http.server;

import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-after-write for a conversation's messages: the session entity says how many messages it has
 * recorded (inbound and outbound, one row each in the read model), and a read of the newest ones
 * waits, bounded, until the read model lists as many. When the entity does not answer, the read
 * model answers alone, as it did before.
 */
public final class ListedMessages {
  private static final Logger log = LoggerFactory.getLogger(ListedMessages.class);

  private final Sessions sessions;
  private final ConversationListing listing;
  private final CatchUp catchUp;
  private final Executor executor;

  public ListedMessages(Sessions sessions, ConversationListing listing, CatchUp catchUp, Executor executor) {
    this.sessions = sessions;
    this.listing = listing;
    this.catchUp = catchUp;
    this.executor = executor;
  }

  /** Completes once the read model lists every message the conversation had recorded when asked (or at the bound). */
  public CompletionStage<Void> settled(String sessionId) {
    return sessions.conversation(sessionId)
        .handleAsync((reply, failure) -> {
          if (failure != null) {
            log.debug("Conversation {} did not say how many messages it has; reading the read model as it is: {}",
                sessionId, failure.toString());
          }
          return reply instanceof SessionReply.Conversation live ? live.view().messageCount() : 0L;
        }, executor)
        .thenComposeAsync(recorded -> catchUp.until(() -> listing.conversation(sessionId), listed -> listed
            .map(ConversationListing.ConversationSummary::messageCount).orElse(0L) >= recorded), executor)
        .thenApply(listed -> null);
  }
}
