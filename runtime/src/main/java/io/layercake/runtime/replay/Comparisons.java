package io.layercake.runtime.replay;

import io.layercake.runtime.session.RecordedTurn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a candidate's turn differs from the recorded one. Replies are compared as bags of words
 * (cosine similarity of their word counts, case and punctuation aside): 1 for the same words, 0
 * for none in common. Tool calls are compared by tool, since a model words its arguments anew
 * each time; the calls themselves are reported whole.
 */
public final class Comparisons {
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private Comparisons() {}

  public static ReplayTurn.Comparison of(RecordedTurn recorded, ReplayTurn.CandidateAnswer candidate) {
    String before = recorded.reply() == null ? "" : recorded.reply();
    List<RecordedTurn.ToolCall> added = missingFrom(candidate.tools(), recorded.tools());
    List<RecordedTurn.ToolCall> removed = missingFrom(recorded.tools(), candidate.tools());
    ReplayTurn.HandoffChange handoff = recorded.handedOff() == candidate.handedOff() ? null
        : candidate.handedOff() ? ReplayTurn.HandoffChange.APPEARED : ReplayTurn.HandoffChange.DISAPPEARED;
    return new ReplayTurn.Comparison(similarity(before, candidate.reply()),
        !normalized(before).equals(normalized(candidate.reply())), added, removed, handoff);
  }

  /** Cosine similarity of the two texts' word counts, rounded to three places. */
  public static double similarity(String a, String b) {
    Map<String, Integer> left = words(a);
    Map<String, Integer> right = words(b);
    if (left.isEmpty() || right.isEmpty()) {
      return left.isEmpty() && right.isEmpty() ? 1.0 : 0.0;
    }
    double dot = 0;
    for (Map.Entry<String, Integer> entry : left.entrySet()) {
      dot += entry.getValue() * (double) right.getOrDefault(entry.getKey(), 0);
    }
    double similarity = dot / (norm(left) * norm(right));
    return Math.round(Math.min(1.0, similarity) * 1000) / 1000.0;
  }

  /** The calls in {@code calls} whose tool is not called as often in {@code others}. */
  private static List<RecordedTurn.ToolCall> missingFrom(List<RecordedTurn.ToolCall> calls, List<RecordedTurn.ToolCall> others) {
    Map<String, Integer> available = new HashMap<>();
    others.forEach(call -> available.merge(call.name(), 1, Integer::sum));
    List<RecordedTurn.ToolCall> missing = new ArrayList<>();
    for (RecordedTurn.ToolCall call : calls) {
      int left = available.getOrDefault(call.name(), 0);
      if (left > 0) {
        available.put(call.name(), left - 1);
      } else {
        missing.add(call);
      }
    }
    return missing;
  }

  private static String normalized(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  private static Map<String, Integer> words(String text) {
    Map<String, Integer> counts = new HashMap<>();
    for (String word : NOT_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        counts.merge(word, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static double norm(Map<String, Integer> counts) {
    return Math.sqrt(counts.values().stream().mapToDouble(count -> count * (double) count).sum());
  }
}
