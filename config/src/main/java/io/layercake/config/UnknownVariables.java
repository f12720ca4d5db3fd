package io.layercake.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code LAYERCAKE_*} variables of an environment that are no setting (a typo such as
 * {@code LAYERCAKE_HTTP_PROT} silently changes nothing), each with the closest setting's name.
 */
public final class UnknownVariables {
  private static final Pattern OVERRIDE = Pattern.compile("\\$\\{\\?(LAYERCAKE_[A-Z0-9_]+)}");
  private static final String PREFIX = "LAYERCAKE_";

  private UnknownVariables() {}

  /** The variables {@code reference.conf} reads. */
  public static Set<String> known() {
    try (InputStream in = UnknownVariables.class.getResourceAsStream("/reference.conf")) {
      if (in == null) {
        throw new IllegalStateException("reference.conf is packaged with the settings");
      }
      Matcher names = OVERRIDE.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Set<String> known = new TreeSet<>();
      while (names.find()) {
        known.add(names.group(1));
      }
      return known;
    } catch (IOException e) {
      throw new UncheckedIOException("reference.conf could not be read", e);
    }
  }

  /** One line per unknown variable: its name and the closest known one. */
  public static List<String> in(Map<String, String> environment) {
    Set<String> known = known();
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(environment.keySet())) {
      if (name.startsWith(PREFIX) && !known.contains(name)) {
        warnings.add(name + " is not a setting" + closest(name, known).map(match -> "; did you mean " + match + "?").orElse(""));
      }
    }
    return warnings;
  }

  private static java.util.Optional<String> closest(String name, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    // a guess further than a third of the name away is no help
    return bestDistance <= Math.max(3, name.length() / 3) ? java.util.Optional.ofNullable(best) : java.util.Optional.empty();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
