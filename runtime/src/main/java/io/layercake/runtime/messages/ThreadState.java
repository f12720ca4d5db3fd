package io.layercake.runtime.messages;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A direct-message thread between two people: who they are, every message in order (edited and
 * deleted ones kept as such), which client message id became which message (so a retried send is
 * the same message), and up to which message each participant has read.
 */
public record ThreadState(List<String> participants, List<DirectMessage> messages, Map<String, String> byClientId,
    Map<String, Long> readUpTo) implements JsonSerializable {
  public static final ThreadState EMPTY = new ThreadState(List.of(), List.of(), Map.of(), Map.of());

  public ThreadState {
    participants = List.copyOf(participants);
    messages = List.copyOf(messages);
    byClientId = Map.copyOf(byClientId);
    readUpTo = Map.copyOf(readUpTo);
  }

  /** One message; {@code seq} orders the thread from 1, {@code text} is empty once deleted. */
  public record DirectMessage(String messageId, long seq, String senderId, String clientMessageId, String text, Instant sentAt,
      Instant editedAt, Instant deletedAt) {
    public boolean deleted() {
      return deletedAt != null;
    }
  }

  public boolean exists() {
    return !participants.isEmpty();
  }

  public boolean hasParticipant(String userId) {
    return participants.contains(userId);
  }

  /** The other person of the thread. */
  public String other(String userId) {
    return participants.get(0).equals(userId) ? participants.get(1) : participants.get(0);
  }

  public long lastSeq() {
    return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
  }

  public Optional<DirectMessage> message(String messageId) {
    return messages.stream().filter(message -> message.messageId().equals(messageId)).findFirst();
  }

  /** The message a sender's client id became, when it was sent before. */
  public Optional<DirectMessage> sentAs(String senderId, String clientMessageId) {
    return Optional.ofNullable(byClientId.get(senderId + "|" + clientMessageId)).flatMap(this::message);
  }

  public long unreadFor(String userId) {
    long read = readUpTo.getOrDefault(userId, 0L);
    return messages.stream().filter(message -> message.seq() > read && !message.senderId().equals(userId) && !message.deleted())
        .count();
  }

  ThreadState opened(List<String> who) {
    return new ThreadState(who, messages, byClientId, readUpTo);
  }

  ThreadState with(DirectMessage message) {
    List<DirectMessage> all = new ArrayList<>(messages);
    all.add(message);
    Map<String, String> ids = new HashMap<>(byClientId);
    ids.put(message.senderId() + "|" + message.clientMessageId(), message.messageId());
    // a sender has read their own thread up to what they sent
    Map<String, Long> read = new HashMap<>(readUpTo);
    read.merge(message.senderId(), message.seq(), Math::max);
    return new ThreadState(participants, all, ids, read);
  }

  ThreadState replaced(DirectMessage message) {
    List<DirectMessage> all = new ArrayList<>(messages);
    all.replaceAll(existing -> existing.messageId().equals(message.messageId()) ? message : existing);
    return new ThreadState(participants, all, byClientId, readUpTo);
  }

  ThreadState read(String userId, long seq) {
    Map<String, Long> read = new HashMap<>(readUpTo);
    read.merge(userId, seq, Math::max);
    return new ThreadState(participants, messages, byClientId, read);
  }
}
