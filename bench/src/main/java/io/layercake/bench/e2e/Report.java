package io.layercake.bench.e2e;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one benchmark invocation as Markdown: one table with a row per figure, its target
 * (issue 19) and a column per database (the figure, and whether it meets the target), then the details.
 */
final class Report {
  private final List<String> databases = new ArrayList<>();
  private final Map<String, String> targets = new LinkedHashMap<>();
  private final Map<String, Integer> ranks = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> cells = new LinkedHashMap<>();
  private final List<String> details = new ArrayList<>();

  void database(String database) {
    databases.add(database);
  }

  /**
   * A figure in the row {@code label}; rows are ordered by {@code rank}, then by when they were first
   * given. {@code met} says whether it meets the row's {@code target} (null where the row has none).
   */
  void put(int rank, String label, String target, String database, String figure, Boolean met) {
    String cell = met == null ? figure : figure + (met ? " ✔" : " **✘**");
    targets.putIfAbsent(label, target);
    ranks.putIfAbsent(label, rank);
    cells.computeIfAbsent(label, ignored -> new LinkedHashMap<>()).put(database, cell);
  }

  void detail(String line) {
    details.add(line);
  }

  String markdown(String setup, Duration took) {
    StringBuilder out = new StringBuilder();
    out.append("# Layercake end-to-end benchmark\n\n");
    out.append("Run ").append(Instant.now()).append("; took ").append(took.toSeconds()).append(" s. ").append(setup)
        .append("\n\n");
    out.append("✔ meets the target, **✘** misses it.\n\n");
    out.append("| | target |");
    databases.forEach(database -> out.append(' ').append(title(database)).append(" |"));
    out.append("\n|---|---|");
    databases.forEach(database -> out.append("---|"));
    out.append('\n');
    List<Map.Entry<String, String>> rows = new ArrayList<>(targets.entrySet());
    rows.sort(Comparator.comparing(row -> ranks.get(row.getKey())));
    for (Map.Entry<String, String> row : rows) {
      Map<String, String> figures = cells.get(row.getKey());
      out.append("| ").append(row.getKey()).append(" | ").append(row.getValue()).append(" |");
      databases.forEach(database -> out.append(' ').append(figures.getOrDefault(database, "not measured"))
          .append(" |"));
      out.append('\n');
    }
    out.append("\n## Details\n\n");
    details.forEach(line -> out.append("- ").append(line).append('\n'));
    return out.toString();
  }

  private static String title(String database) {
    return switch (database) {
      case "h2" -> "H2 file";
      case "postgres" -> "PostgreSQL (embedded)";
      default -> database;
    };
  }
}
