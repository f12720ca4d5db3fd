package io.layercake.runtime.knowledge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BM25 (k1 1.2, b 0.75) of a query against passages given as {@link RetrievalTerms}, with each
 * passage's coverage: the share of the query's weight it matches. A concept term weighs 1.5 words.
 * A query term no passage has weighs as much as one only a single passage has: rare enough to
 * matter, without one unknown word ("kitchen" in "my kitchen pipe is leaking") vetoing a match.
 */
public final class Bm25 {
  private static final double CONCEPT_WEIGHT = 1.5;

  private Bm25() {}

  /** A passage's score and coverage, by its index in the list scored. */
  public record Scored(int index, double score, double coverage) {}

  public static List<Scored> score(List<String> query, List<List<String>> passages) {
    double averageLength = passages.stream().mapToInt(List::size).average().orElse(1);
    Map<String, Integer> documentFrequency = new HashMap<>();
    for (List<String> passage : passages) {
      passage.stream().distinct().forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
    }
    List<String> distinctQuery = query.stream().distinct().toList();
    double queryWeight = distinctQuery.stream()
        .mapToDouble(term -> weight(term) * idf(passages.size(), Math.max(1, documentFrequency.getOrDefault(term, 0)))).sum();
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < passages.size(); i++) {
      List<String> passage = passages.get(i);
      double score = 0;
      double matchedWeight = 0;
      for (String term : distinctQuery) {
        long frequency = passage.stream().filter(term::equals).count();
        if (frequency == 0) {
          continue;
        }
        double idf = weight(term) * idf(passages.size(), documentFrequency.getOrDefault(term, 0));
        matchedWeight += idf;
        score += idf * frequency * 2.2 / (frequency + 1.2 * (0.25 + 0.75 * passage.size() / averageLength));
      }
      scored.add(new Scored(i, score, queryWeight == 0 ? 0 : matchedWeight / queryWeight));
    }
    return scored;
  }

  private static double weight(String term) {
    return RetrievalTerms.concept(term) ? CONCEPT_WEIGHT : 1;
  }

  private static double idf(int passages, int containing) {
    return Math.log(1 + (passages - containing + 0.5) / (containing + 0.5));
  }
}
