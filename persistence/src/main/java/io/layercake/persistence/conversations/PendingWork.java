package io.layercake.persistence.conversations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Set;
import java.util.TreeMap;

/**
 * The work a conversation still owes and when each piece is overdue, by key: {@code msg:<id>} a
 * message the agent has not answered, {@code turn:<n>} a turn not settled (or waiting for an
 * approval until it expires), {@code out:<id>} a message not yet handed to the channel,
 * {@code followup:<id>} and {@code reminder} timers. Kept on the conversation's row
 * ({@code conversations.pending_work}, JSON of epoch milliseconds) with its earliest due time
 * ({@code wake_at}), which the session waker reads. Not thread-safe: one projection handler owns it.
 */
final class PendingWork {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Long>> TYPE = new TypeReference<>() {};

  private final TreeMap<String, Long> dueByKey;

  private PendingWork(TreeMap<String, Long> dueByKey) {
    this.dueByKey = dueByKey;
  }

  static PendingWork none() {
    return new PendingWork(new TreeMap<>());
  }

  /** From the column; null (a conversation written before it existed, or none owed) is nothing pending. */
  static PendingWork parse(String json) {
    if (json == null || json.isBlank()) {
      return none();
    }
    try {
      return new PendingWork(MAPPER.readValue(json, TYPE));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "conversations.pending_work is not a JSON object of epoch milliseconds: " + json, e);
    }
  }

  void put(String key, Instant dueAt) {
    dueByKey.put(key, dueAt.toEpochMilli());
  }

  void remove(String key) {
    dueByKey.remove(key);
  }

  void removeStartingWith(String prefix) {
    dueByKey.keySet().removeIf(key -> key.startsWith(prefix));
  }

  /** Every key starting with {@code prefix} becomes due at {@code dueAt}. */
  void postpone(String prefix, Instant dueAt) {
    dueByKey.replaceAll((key, due) -> key.startsWith(prefix) ? dueAt.toEpochMilli() : due);
  }

  Set<String> keys() {
    return Set.copyOf(dueByKey.keySet());
  }

  /** The earliest due time; null when nothing is owed. */
  Instant wakeAt() {
    return dueByKey.values().stream().min(Long::compare).map(Instant::ofEpochMilli).orElse(null);
  }

  /** The column's value; null when nothing is owed. */
  String json() {
    if (dueByKey.isEmpty()) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(dueByKey);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  PendingWork copy() {
    return new PendingWork(new TreeMap<>(dueByKey));
  }

  @Override
  public String toString() {
    return dueByKey.toString();
  }

  /** For tests: the keys of a column value. */
  static Set<String> keysOf(String json) {
    return parse(json).keys();
  }
}
