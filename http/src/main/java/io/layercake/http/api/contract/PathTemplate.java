package io.layercake.http.api.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path such as {@code /conversations/{sessionId}/messages}: literal segments and named variables,
 * each variable one whole segment. Matches decoded path segments and names what it bound.
 */
public final class PathTemplate {
  private final String text;
  private final List<String> segments;

  private PathTemplate(String text, List<String> segments) {
    this.text = text;
    this.segments = segments;
  }

  public static PathTemplate of(String text) {
    if (!text.startsWith("/") || text.endsWith("/") || text.contains("//")) {
      throw new IllegalArgumentException("a path template starts with / and has no empty segment: " + text);
    }
    return new PathTemplate(text, List.of(text.substring(1).split("/")));
  }

  public String text() {
    return text;
  }

  /** The variables, in path order. */
  public List<String> variables() {
    List<String> names = new ArrayList<>();
    for (String segment : segments) {
      if (isVariable(segment)) {
        names.add(segment.substring(1, segment.length() - 1));
      }
    }
    return names;
  }

  /** The variables bound by {@code path} (decoded segments), when it has this shape. */
  public Optional<Map<String, String>> match(List<String> path) {
    if (path.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> bound = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String expected = segments.get(i);
      String actual = path.get(i);
      if (isVariable(expected)) {
        if (actual.isEmpty()) {
          return Optional.empty();
        }
        bound.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(bound);
  }

  private static boolean isVariable(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  @Override
  public String toString() {
    return text;
  }
}
