package io.layercake.persistence.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** Small JSON payloads for read-model rows (notification bodies). */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static String write(Map<String, Object> payload) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(payload));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload is not JSON: " + payload, e);
    }
  }
}
