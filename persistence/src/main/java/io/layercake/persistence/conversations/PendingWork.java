package io.layercake.persistence.conversations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The work a conversation still owes and when each piece is overdue, by key: {@code msg:<id>} a
 * message the agent has not answered, {@code turn:<n>} a turn not settled (or waiting for an
 * approval until it expires), {@code out:<id>} a message not yet handed to the channel,
 * {@code followup:<id>} and {@code reminder} timers. Kept on the conversation's row
 * ({@code conversations.pending_work}, JSON of epoch milliseconds) with its earliest due time
 * ({@code wake_at}), which the session waker reads. Not thread-safe: one projection handler owns it.
 *
 * <p>A conversation owes a few things at a time, and the projection remembers thousands of
 * conversations' pending work: two sorted arrays hold it in a fraction of a tree map's memory.
 */
final class PendingWork {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Long>> TYPE = new TypeReference<>() {};
  private static final String[] NO_KEYS = {};
  private static final long[] NO_DUES = {};

  /** Sorted; {@code dues[i]} (epoch milliseconds) is when {@code keys[i]} is overdue. */
  private String[] keys;
  private long[] dues;

  private PendingWork(String[] keys, long[] dues) {
    this.keys = keys;
    this.dues = dues;
  }

  static PendingWork none() {
    return new PendingWork(NO_KEYS, NO_DUES);
  }

  /** From the column; null (a conversation written before it existed, or none owed) is nothing pending. */
  static PendingWork parse(String json) {
    if (json == null || json.isBlank()) {
      return none();
    }
    TreeMap<String, Long> dueByKey;
    try {
      dueByKey = MAPPER.readValue(json, TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "conversations.pending_work is not a JSON object of epoch milliseconds: " + json, e);
    }
    return new PendingWork(
        dueByKey.keySet().toArray(String[]::new), dueByKey.values().stream().mapToLong(Long::longValue).toArray());
  }

  void put(String key, Instant dueAt) {
    int found = Arrays.binarySearch(keys, key);
    if (found >= 0) {
      dues[found] = dueAt.toEpochMilli();
      return;
    }
    int at = -found - 1;
    String[] widerKeys = new String[keys.length + 1];
    long[] widerDues = new long[dues.length + 1];
    System.arraycopy(keys, 0, widerKeys, 0, at);
    System.arraycopy(dues, 0, widerDues, 0, at);
    widerKeys[at] = key;
    widerDues[at] = dueAt.toEpochMilli();
    System.arraycopy(keys, at, widerKeys, at + 1, keys.length - at);
    System.arraycopy(dues, at, widerDues, at + 1, dues.length - at);
    keys = widerKeys;
    dues = widerDues;
  }

  void remove(String key) {
    int found = Arrays.binarySearch(keys, key);
    if (found >= 0) {
      keep(index -> index != found);
    }
  }

  void removeStartingWith(String prefix) {
    keep(index -> !keys[index].startsWith(prefix));
  }

  /** Every key starting with {@code prefix} becomes due at {@code dueAt}. */
  void postpone(String prefix, Instant dueAt) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].startsWith(prefix)) {
        dues[i] = dueAt.toEpochMilli();
      }
    }
  }

  Set<String> keys() {
    return Set.of(keys);
  }

  /** The earliest due time; null when nothing is owed. */
  Instant wakeAt() {
    return keys.length == 0 ? null : Instant.ofEpochMilli(Arrays.stream(dues).min().getAsLong());
  }

  /** The column's value (keys in order); null when nothing is owed. */
  String json() {
    if (keys.length == 0) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(asMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  PendingWork copy() {
    return new PendingWork(keys.clone(), dues.clone());
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  /** For tests: the keys of a column value. */
  static Set<String> keysOf(String json) {
    return parse(json).keys();
  }

  private Map<String, Long> asMap() {
    Map<String, Long> dueByKey = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      dueByKey.put(keys[i], dues[i]);
    }
    return dueByKey;
  }

  private void keep(java.util.function.IntPredicate kept) {
    int count = 0;
    for (int i = 0; i < keys.length; i++) {
      if (kept.test(i)) {
        count++;
      }
    }
    if (count == keys.length) {
      return;
    }
    String[] keptKeys = new String[count];
    long[] keptDues = new long[count];
    for (int i = 0, j = 0; i < keys.length; i++) {
      if (kept.test(i)) {
        keptKeys[j] = keys[i];
        keptDues[j++] = dues[i];
      }
    }
    keys = keptKeys;
    dues = keptDues;
  }
}
