package io.layercake.runtime.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The conversation read model: conversations, their messages, and what the tools recorded. */
public interface ConversationListing {
  /** An organization's conversations, newest activity first; {@code status} null for all. */
  CompletionStage<List<ConversationSummary>> conversations(String orgId, String status, int limit);

  CompletionStage<Optional<ConversationSummary>> conversation(String sessionId);

  /**
   * Conversations of the given organizations matching the filters (null: any), newest activity
   * first, after the cursor (the last row of the previous page), at most {@code limit}.
   */
  CompletionStage<List<ConversationSummary>> search(ConversationQuery query);

  /** A conversation's messages after the given position (the sequence of the last one seen), in order. */
  CompletionStage<List<MessageRecord>> messagesAfter(String sessionId, long afterSequence, int limit);

  /**
   * A conversation's latest messages before the given position (exclusive; {@link Long#MAX_VALUE}
   * for the newest), at most {@code limit}, returned in order (oldest of the page first).
   */
  CompletionStage<List<MessageRecord>> messagesBefore(String sessionId, long beforeSequence, int limit);

  /**
   * Approvals of the given organizations with the status (pending, approved, rejected, expired,
   * cancelled; null: any), oldest first, after the one requested at {@code afterRequestedAt} with
   * {@code afterApprovalId} (both null: from the first).
   */
  CompletionStage<List<ApprovalRecord>> approvals(List<String> orgIds, String status, Instant afterRequestedAt,
      String afterApprovalId, int limit);

  default CompletionStage<List<ApprovalRecord>> approvals(List<String> orgIds, String status, int limit) {
    return approvals(orgIds, status, null, null, limit);
  }

  CompletionStage<Optional<ApprovalRecord>> approval(String approvalId);

  /**
   * {@code text}: in the contact or in any message, case-insensitive. {@code assigneeUserId}: the
   * person's conversations, or {@link #UNASSIGNED} for those without anyone.
   */
  record ConversationQuery(
      List<String> orgIds, String status, String channel, String agentId, Instant from, Instant to, String text,
      String assigneeUserId, Instant cursorLastMessageAt, String cursorSessionId, int limit) {
    public static final String UNASSIGNED = "none";
  }

  /** The newest message of each of these conversations (for previews); conversations without messages are missing. */
  CompletionStage<java.util.Map<String, MessageRecord>> lastMessages(java.util.Collection<String> sessionIds);

  /**
   * A value that changes whenever any conversation of these organizations changes (a message, a
   * status): what live views poll to learn they should refresh.
   */
  CompletionStage<String> changeMark(List<String> orgIds);

  /** A value that changes whenever the conversation's messages change (a new one, a delivery receipt, a reaction). */
  CompletionStage<String> changeMark(String sessionId);

  record ApprovalRecord(
      String approvalId, String sessionId, String orgId, String kind, String toolName, String arguments, String draft,
      String status, Instant requestedAt, Instant expiresAt, String decidedBy, Instant decidedAt) {}

  /** A conversation's messages in order, at most {@code limit}. */
  CompletionStage<List<MessageRecord>> messages(String sessionId, int limit);

  CompletionStage<Long> count(String orgId);

  /**
   * What needs attention in each organization: conversations active since {@code dayStart} and
   * {@code monthStart}, conversations handed to a person and still open, leads and booking requests
   * since {@code monthStart}, the last activity. Every organization asked for has an entry.
   */
  CompletionStage<java.util.Map<String, ClientActivity>> activity(List<String> orgIds, Instant dayStart, Instant monthStart);

  record ClientActivity(String orgId, long activeToday, long activeThisMonth, long waitingForAPerson, long leadsThisMonth,
      long bookingRequestsThisMonth, Instant lastActivityAt) {
    public static ClientActivity none(String orgId) {
      return new ClientActivity(orgId, 0, 0, 0, 0, 0, null);
    }
  }

  /** Leads of the given organizations, newest first, those with an id below {@code beforeId} (null: the newest). */
  CompletionStage<List<Lead>> leads(List<String> orgIds, Long beforeId, int limit);

  default CompletionStage<List<Lead>> leads(String orgId, int limit) {
    return leads(List.of(orgId), null, limit);
  }

  /** Booking requests of the given organizations, newest first, those with an id below {@code beforeId}. */
  CompletionStage<List<BookingRequest>> bookingRequests(List<String> orgIds, Long beforeId, int limit);

  default CompletionStage<List<BookingRequest>> bookingRequests(String orgId, int limit) {
    return bookingRequests(List.of(orgId), null, limit);
  }

  record ConversationSummary(
      String sessionId, String orgId, String agentId, String channel, String contact, String status, String owner,
      Instant startedAt, Instant lastMessageAt, long messageCount, long creditsUsed, boolean creditsExhausted,
      boolean optedOut) {}

  /** {@code reaction}: the customer's emoji on this message, if any (a reaction attaches to its message). */
  record MessageRecord(
      String messageId, String direction, String kind, String author, String text, String deliveryStatus,
      String providerMessageId, String failure, Instant createdAt, long sequence, String reaction) {}

  record Lead(long id, String sessionId, String agentId, String name, String phone, String email, String need, Instant createdAt) {}

  /** {@code status}: requested, then accepted or declined by a person ({@code decidedBy}, {@code decidedAt}). */
  record BookingRequest(long id, String orgId, String sessionId, String agentId, String requestedTime, String service,
      Instant createdAt, String status, String decidedBy, Instant decidedAt) {}

  CompletionStage<Optional<BookingRequest>> bookingRequest(long id);
}
