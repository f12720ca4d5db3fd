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

  /** A conversation's messages in order, at most {@code limit}. */
  CompletionStage<List<MessageRecord>> messages(String sessionId, int limit);

  CompletionStage<List<Lead>> leads(String orgId, int limit);

  CompletionStage<List<BookingRequest>> bookingRequests(String orgId, int limit);

  record ConversationSummary(
      String sessionId, String orgId, String agentId, String channel, String contact, String status, String owner,
      Instant startedAt, Instant lastMessageAt, long messageCount, long creditsUsed, boolean creditsExhausted) {}

  record MessageRecord(
      String messageId, String direction, String kind, String author, String text, String deliveryStatus,
      String providerMessageId, String failure, Instant createdAt) {}

  record Lead(String sessionId, String agentId, String name, String phone, String email, String need, Instant createdAt) {}

  record BookingRequest(String sessionId, String agentId, String requestedTime, String service, Instant createdAt) {}
}
