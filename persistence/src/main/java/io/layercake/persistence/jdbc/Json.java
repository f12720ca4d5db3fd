package io.layercake.persistence.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** Small JSON payloads for read-model rows (notification bodies and metadata). */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A payload as written by {@link #write}; an unreadable one reads as empty. */
  public static Map<String, Object> read(String payload) {
    try {
      Map<String, Object> read = MAPPER.readValue(payload, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
      return read == null ? Map.of() : read;
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  public static String write(Map<String, Object> payload) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(payload));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload is not JSON: " + payload, e);
    }
  }
}
