package io.layercake.runtime.credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounded, insertion-ordered, immutable maps of an organization's state. */
class RecentKeysTest {
  @Test
  void keepsTheNewestEntriesInTheOrderTheyCameAndASetKeyBecomesTheNewest() {
    Map<String, Integer> map = Map.of();
    for (int i = 1; i <= 5; i++) {
      map = RecentKeys.with(map, "k" + i, i, 3);
    }
    map = RecentKeys.with(map, "k4", 40, 3);

    assertThat(map.keySet()).containsExactly("k3", "k5", "k4");
    assertThat(map).containsEntry("k4", 40).doesNotContainKey("k1").hasSize(3);
    assertThat(map.get("k2")).isNull();
    assertThat(map.get(42)).isNull();
  }

  @Test
  void aChangeLeavesTheMapItCameFromAsItWas() {
    Map<String, Integer> before = RecentKeys.with(RecentKeys.with(Map.of(), "a", 1, 10), "b", 2, 10);

    Map<String, Integer> added = RecentKeys.with(before, "c", 3, 10);
    Map<String, Integer> removed = RecentKeys.without(before, "a");

    assertThat(before).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
    assertThat(added).containsExactly(Map.entry("a", 1), Map.entry("b", 2), Map.entry("c", 3));
    assertThat(removed).containsExactly(Map.entry("b", 2));
    assertThat(RecentKeys.without(before, "missing")).isSameAs(before);
    assertThatThrownBy(() -> added.put("d", 4)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aMapReadBackFromJsonBecomesOneInTheSameOrderAndEqualsIt() throws Exception {
    Map<String, Integer> map = Map.of();
    for (int i = 0; i < 1_000; i++) {
      map = RecentKeys.with(map, "r" + i, i, Integer.MAX_VALUE);
    }
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Integer> read = json.readValue(json.writeValueAsString(map), LinkedHashMap.class);

    Map<String, Integer> copy = RecentKeys.copyOf(read);

    assertThat(copy).isEqualTo(map).isEqualTo(read);
    assertThat(copy.keySet()).containsExactlyElementsOf(map.keySet());
    assertThat(RecentKeys.copyOf(copy)).isSameAs(copy);
    assertThat(RecentKeys.copyOf(null)).isEmpty();
  }
}
