package io.layercake.runtime.session;

import io.layercake.runtime.serialization.JsonSerializable;
import io.layercake.runtime.session.SessionState.ContextEntry;
import io.layercake.runtime.session.SessionState.Outbound;
import io.layercake.runtime.session.SessionState.Stage;
import io.layercake.runtime.session.SessionState.Status;
import java.time.Instant;
import java.util.List;

/** What a conversation answers a command with. */
public sealed interface SessionReply extends JsonSerializable {
  record Received(String sessionId, boolean duplicate) implements SessionReply {}

  /** The command was applied (or had already been); {@code outboundId} names a message it queued, if any. */
  record Done(String sessionId, String outboundId) implements SessionReply {}

  record Conversation(ConversationView view) implements SessionReply {}

  record Rejected(Reason reason, String message) implements SessionReply {}

  enum Reason {
    NOT_FOUND,
    CONFLICT,
    INVALID,
    /** The contact opted out of messages: nothing may be sent to them. */
    OPTED_OUT,
    /** WhatsApp's 24-hour window is closed: only a template reaches the customer now. */
    WINDOW_CLOSED
  }

  /** The live state of a conversation, straight from the entity (for polling). */
  record ConversationView(
      String sessionId, String orgId, String agentId, String channel, String contact, Status status, String owner,
      Integer turnInProgress, Stage turnStage, int queuedMessages, List<Approval> pendingApprovals,
      List<ContextEntry> recentMessages, List<Outbound> outbox, long creditsUsed, boolean creditsExhausted,
      Instant lastInboundAt, long messageCount, boolean optedOut)
      implements JsonSerializable {}
}
