package io.layercake.runtime.credits;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable, insertion-ordered map that keeps only its newest {@code capacity} entries: the
 * bounded memory of idempotency keys and settled reservations that keeps entity state small.
 */
final class RecentKeys {
  /** The class of the maps this helper hands out; those are already immutable copies. */
  private static final Class<?> FROZEN = Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();

  private RecentKeys() {}

  static <V> Map<String, V> with(Map<String, V> recent, String key, V value, int capacity) {
    LinkedHashMap<String, V> copy = new LinkedHashMap<>(recent);
    copy.remove(key);
    copy.put(key, value);
    var oldest = copy.keySet().iterator();
    while (copy.size() > capacity) {
      oldest.next();
      oldest.remove();
    }
    return Collections.unmodifiableMap(copy);
  }

  /** An immutable copy, made only when the map is not one of ours already (state is rebuilt on every event). */
  static <V> Map<String, V> copyOf(Map<String, V> map) {
    if (map == null) {
      return Map.of();
    }
    return map.getClass() == FROZEN ? map : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
