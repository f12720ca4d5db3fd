package io.layercake.bench.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of one run, and the median, min and max of a figure over several runs. */
final class Stats {
  private Stats() {}

  static double percentile(List<Long> values, double percentile) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** The median, min and max of one figure over runs. */
  record Spread(double median, double min, double max) {
    static Spread of(List<Double> runs) {
      List<Double> sorted = new ArrayList<>(runs);
      Collections.sort(sorted);
      int n = sorted.size();
      double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      return new Spread(median, sorted.get(0), sorted.get(n - 1));
    }

    String format(String unit, int decimals) {
      String pattern = "%." + decimals + "f";
      return String.format(pattern, median) + unit + " (" + String.format(pattern, min) + "–"
          + String.format(pattern, max) + ")";
    }
  }
}
