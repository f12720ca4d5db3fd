package io.layercake.runtime.credits;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import scala.Tuple2;
import scala.collection.immutable.VectorMap;

/**
 * An immutable, insertion-ordered map that keeps only its newest {@code capacity} entries: the
 * bounded memory of idempotency keys, settled and open reservations that keeps entity state small.
 *
 * <p>Adding or removing an entry shares everything else with the map it came from (a persistent
 * map, Scala's {@link VectorMap}): an organization applies an event per reservation and per
 * settlement, and copying its maps on each one cost time in proportion to the reservations open,
 * quadratic over a burst of thousands of conversations. It is a plain {@link Map} to everything else
 * (Jackson writes it as one; a map read back is turned into one by {@link #copyOf}).
 */
final class RecentKeys<V> extends AbstractMap<String, V> {
  private static final RecentKeys<?> EMPTY = new RecentKeys<>(emptyVectorMap());

  private final VectorMap<String, V> entries;

  private RecentKeys(VectorMap<String, V> entries) {
    this.entries = entries;
  }

  /** {@code recent} with {@code key} set to {@code value} as its newest entry, and its oldest dropped beyond {@code capacity}. */
  static <V> Map<String, V> with(Map<String, V> recent, String key, V value, int capacity) {
    VectorMap<String, V> next = of(recent).entries.removed(key).updated(key, value);
    while (next.size() > capacity) {
      next = next.removed(next.head()._1());
    }
    return new RecentKeys<>(next);
  }

  /** {@code recent} without {@code key}. */
  static <V> Map<String, V> without(Map<String, V> recent, String key) {
    RecentKeys<V> map = of(recent);
    return map.entries.contains(key) ? new RecentKeys<>(map.entries.removed(key)) : map;
  }

  /** An immutable copy, made only when the map is not one of ours already (state is rebuilt on every event). */
  static <V> Map<String, V> copyOf(Map<String, V> map) {
    return of(map);
  }

  @SuppressWarnings("unchecked")
  private static <V> RecentKeys<V> of(Map<String, V> map) {
    if (map instanceof RecentKeys<V> ours) {
      return ours;
    }
    if (map == null || map.isEmpty()) {
      return (RecentKeys<V>) EMPTY;
    }
    VectorMap<String, V> entries = emptyVectorMap();
    for (Map.Entry<String, V> entry : map.entrySet()) {
      entries = entries.updated(entry.getKey(), entry.getValue());
    }
    return new RecentKeys<>(entries);
  }

  @SuppressWarnings("unchecked")
  private static <V> VectorMap<String, V> emptyVectorMap() {
    return (VectorMap<String, V>) (Object) scala.collection.immutable.VectorMap$.MODULE$.empty();
  }

  @Override
  public V get(Object key) {
    return key instanceof String name ? entries.get(name).getOrElse(() -> null) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String name && entries.contains(name);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        scala.collection.Iterator<Tuple2<String, V>> inOrder = entries.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return inOrder.hasNext();
          }

          @Override
          public Map.Entry<String, V> next() {
            Tuple2<String, V> entry = inOrder.next();
            return new AbstractMap.SimpleImmutableEntry<>(entry._1(), entry._2());
          }
        };
      }

      @Override
      public int size() {
        return entries.size();
      }
    };
  }
}
