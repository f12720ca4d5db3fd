package io.layercake.bench.e2e;

import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The live objects of the node's heap by class ({@code jcmd GC.class_histogram}, taken after a full GC),
 * so that heap per live conversation says what it is made of: the classes that grew the most between two.
 * The full GC and the count happen in one pause, so nothing the node allocates meanwhile is counted.
 */
record HeapHistogram(Map<String, Long> bytesByClass, Map<String, Long> instancesByClass) {
  /** A histogram line: {@code    1:   123456   7890123  java.lang.String (java.base@17)}. */
  private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  static HeapHistogram parse(String jcmdOutput) {
    Map<String, Long> bytes = new HashMap<>();
    Map<String, Long> instances = new HashMap<>();
    for (String line : jcmdOutput.split("\n")) {
      Matcher matched = LINE.matcher(line);
      if (matched.find()) {
        bytes.merge(matched.group(3), Long.parseLong(matched.group(2)), Long::sum);
        instances.merge(matched.group(3), Long.parseLong(matched.group(1)), Long::sum);
      }
    }
    return new HeapHistogram(Map.copyOf(bytes), Map.copyOf(instances));
  }

  /** All live objects' bytes. */
  long totalBytes() {
    return bytesByClass.values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many live instances of {@code className} there are. */
  long instances(String className) {
    return instancesByClass.getOrDefault(className, 0L);
  }

  /**
   * The live bytes added since {@code before} by the classes that grew. New conversations only add objects, so a
   * class that shrank meanwhile held something else (in one pass 200 large {@code int[]} of ~100 KB, 20 MB, went
   * during the burst and would have hidden 2 of its 5 KB per conversation); it is left out, not netted.
   */
  long grownBytes(HeapHistogram before) {
    return changes(before).filter(change -> change > 0).sum();
  }

  /** The live bytes the classes that shrank since {@code before} gave up (0 or less). */
  long shrunkBytes(HeapHistogram before) {
    return changes(before).filter(change -> change < 0).sum();
  }

  private LongStream changes(HeapHistogram before) {
    Set<String> classes = new HashSet<>(bytesByClass.keySet());
    classes.addAll(before.bytesByClass.keySet());
    return classes.stream().mapToLong(name -> bytesByClass.getOrDefault(name, 0L) - before.bytesByClass.getOrDefault(name, 0L));
  }

  /** The {@code count} classes whose live bytes grew the most since {@code before}, as "class +N KB". */
  String largestGrowth(HeapHistogram before, int count) {
    List<Map.Entry<String, Long>> growth = bytesByClass.entrySet().stream()
        .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.bytesByClass.getOrDefault(entry.getKey(), 0L)))
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(count)
        .toList();
    return growth.stream()
        .map(entry -> String.format("%s %+,d KB", entry.getKey(), entry.getValue() / 1024))
        .collect(Collectors.joining(", "));
  }
}
