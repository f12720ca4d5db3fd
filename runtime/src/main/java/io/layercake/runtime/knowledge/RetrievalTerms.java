package io.layercake.runtime.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The words a text is about, for retrieval (the built-in model's answers, the passages of documents
 * too large for the prompt): Lucene's analyzer for the agent's
 * language (stemming, its stop words) plus the words every question carries ("how", "much",
 * "where", "can"), so "Where can I park?" finds "Free parking at the door" and "callout" finds
 * "call-out". Analyzers are thread-safe; one per language for the whole process.
 */
public final class RetrievalTerms {
  private static final Map<String, Analyzer> ANALYZERS = Map.of(
      "en", new EnglishAnalyzer(), "nl", new DutchAnalyzer(), "de", new GermanAnalyzer(), "fr", new FrenchAnalyzer(),
      "es", new SpanishAnalyzer());
  private static final Map<String, org.apache.lucene.analysis.CharArraySet> STOP_WORDS = Map.of(
      "en", EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, "nl", DutchAnalyzer.getDefaultStopSet(), "de", GermanAnalyzer.getDefaultStopSet(),
      "fr", FrenchAnalyzer.getDefaultStopSet(), "es", SpanishAnalyzer.getDefaultStopSet());
  /** Hyphenated words also count as one word: "call-out" is "callout" too. */
  private static final Pattern HYPHENATED = Pattern.compile("(\\p{L}+)-(\\p{L}+)");
  private static final Set<String> QUESTION_WORDS = Set.of(
      "a", "an", "the", "is", "are", "do", "does", "you", "your", "i", "me", "my", "we", "our", "to", "of", "for", "in",
      "on", "at", "and", "or", "what", "when", "where", "which", "who", "how", "can", "could", "would", "should", "it",
      "this", "that", "be", "with", "have", "has", "there", "much", "many", "please", "like", "get", "know", "tell",
      "about", "any", "am", "was", "here", "hi", "hello", "hey", "thanks", "thank", "ok", "okay", "need", "want", "some",
      "also", "take", "takes", "without", "per", "i'm", "im", "wat", "hoe", "waar", "wanneer", "kan", "kun", "jullie", "ik",
      "mijn", "je", "u", "een", "de", "het");

  /**
   * What a question asks and a passage states, beyond its words: a price ("how much", "cost" — and
   * "€65"), opening times ("open", "hours" — and "8:00", "Monday"), a duration ("how long" — and
   * "45 minutes"), a place ("where is" — and "Breestraat 12"). Each becomes one term both share.
   */
  private static final Map<String, Pattern> CONCEPTS = Map.of(
      "concept:price", Pattern.compile("[€$£]\\s?\\d|\\b(eur|usd|gbp)\\s?\\d|\\d\\s?(eur|euro|euros|usd|dollars?|pounds?)\\b|\\b(prices?|pricing|costs?|charges?|fees?"
          + "|tariffs?|rates?|how much|expensive|cheap|prijs|prijzen|kosten|kost|tarief)\\b", Pattern.CASE_INSENSITIVE),
      "concept:hours", Pattern.compile("\\b\\d{1,2}[:.]\\d{2}\\b|\\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?"
          + "|weekdays?|weekends?|open|opens|opening|close|closes|closed|closing|hours|maandag|dinsdag|woensdag|donderdag|vrijdag"
          + "|zaterdag|zondag|openingstijden)\\b", Pattern.CASE_INSENSITIVE),
      "concept:duration", Pattern.compile("\\bhow long\\b|\\b(\\d+|an?|one|two|three|four|five|six|half an?)\\s?(minutes?|mins?|hours?"
          + "|uur|minuten)\\b|\\bhoe lang\\b",
          Pattern.CASE_INSENSITIVE),
      "concept:place", Pattern.compile("^\\s*where (is|are)\\b|\\b(address|located|location|find us|adres|waar zitten)\\b"
          + "|\\p{L}*(straat|street|road|laan|weg|plein|markt|gracht|avenue|lane|kade)\\s+\\d+", Pattern.CASE_INSENSITIVE));

  private RetrievalTerms() {}

  /**
   * The analyzer to read a message with: of the agent's languages Lucene knows, the one whose stop
   * words the message uses most ("how much is a new boiler" is English for a Dutch business too);
   * the agent's first on a tie, English when it has none Lucene knows.
   */
  public static String language(List<String> languages, String message) {
    List<String> codes = new ArrayList<>();
    for (String language : languages) {
      String code = language.toLowerCase(Locale.ROOT).split("[-_]")[0];
      if (ANALYZERS.containsKey(code) && !codes.contains(code)) {
        codes.add(code);
      }
    }
    if (codes.isEmpty()) {
      return "en";
    }
    String best = codes.get(0);
    long bestHits = -1;
    String[] words = message.toLowerCase(Locale.ROOT).split("[^\\p{L}]+");
    for (String code : codes) {
      org.apache.lucene.analysis.CharArraySet stopWords = STOP_WORDS.get(code);
      long hits = java.util.Arrays.stream(words).filter(word -> !word.isEmpty() && stopWords.contains(word)).count();
      if (hits > bestHits) {
        best = code;
        bestHits = hits;
      }
    }
    return best;
  }

  /** Whether a term is one of the concepts (they weigh more than a single word: they are what the question asks). */
  public static boolean concept(String term) {
    return term.startsWith("concept:");
  }

  public static List<String> of(String text, String language) {
    List<String> terms = words(text, language);
    CONCEPTS.forEach((concept, pattern) -> {
      if (pattern.matcher(text).find()) {
        terms.add(concept);
      }
    });
    return terms;
  }

  private static List<String> words(String text, String language) {
    String joined = HYPHENATED.matcher(text).replaceAll("$1$2 $1 $2");
    StringBuilder kept = new StringBuilder();
    for (String word : joined.split("[^\\p{L}\\p{N}€$£]+")) {
      if (!word.isEmpty() && !QUESTION_WORDS.contains(word.toLowerCase(Locale.ROOT))) {
        kept.append(word).append(' ');
      }
    }
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = ANALYZERS.getOrDefault(language, ANALYZERS.get("en")).tokenStream("text", kept.toString())) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        if (term.length() > 1) {
          terms.add(term.toString());
        }
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException("analyzing text in memory cannot fail", e);
    }
    return terms;
  }
}
