package io.layercake.runtime.llm;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The {@code local} provider: an offline responder so the product works without an API key. It
 * greets, answers from the best-matching FAQ entry or knowledge passage (BM25 scoring), and offers
 * a human when nothing matches well. Deterministic for the same request.
 */
public final class LocalResponder implements LanguageModel {
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "hallo", "hoi", "goedemorgen", "good", "morning", "bonjour", "hola");
  private static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "the", "is", "are", "do", "does", "you", "your", "i", "me", "my", "we", "to", "of", "for", "in", "on",
      "at", "and", "or", "what", "when", "how", "can", "it", "this", "that", "be", "with", "have", "has", "there",
      "much", "many", "new", "please", "would", "could", "like", "get", "know", "tell", "about", "any", "am", "was");
  /**
   * A match must cover at least half of the question's informative words, weighted by rarity. No
   * absolute score floor: BM25 scores shrink with the corpus, and an agent with one FAQ entry must
   * still answer it.
   */
  private static final double COVERAGE = 0.5;
  private static final int MAX_PASSAGE = 480;

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    return CompletableFuture.completedFuture(answer(request.agent(), lastCustomerMessage(request), request.knowledge()));
  }

  ModelReply answer(AgentConfig agent, String question, List<KnowledgeDocument> knowledge) {
    List<String> terms = terms(question);
    if (terms.isEmpty() || isGreeting(question, terms)) {
      return reply(agent.greeting() != null && !agent.greeting().isBlank()
          ? agent.greeting()
          : "Hi! I'm " + agent.name() + ". How can I help you?");
    }
    // FAQ entries and knowledge passages are scored as one corpus, so rare words weigh the same in both.
    List<String> candidates = new ArrayList<>();
    agent.faq().forEach(entry -> candidates.add(entry.question() + " " + entry.answer()));
    int faqCount = candidates.size();
    for (KnowledgeDocument document : knowledge) {
      for (String paragraph : document.text().split("\\n\\s*\\n")) {
        if (!paragraph.isBlank() && !paragraph.strip().startsWith("#")) {
          candidates.add(paragraph.strip());
        }
      }
    }
    Scored best = best(terms, candidates);
    if (best != null && best.score() > 0 && best.coverage() >= COVERAGE) {
      return reply(best.index() < faqCount
          ? agent.faq().get(best.index()).answer().strip()
          : shorten(candidates.get(best.index())));
    }
    return reply("I'm not sure about that. Would you like me to ask someone from the team to get back to you?");
  }

  private static String lastCustomerMessage(ModelRequest request) {
    List<ConversationMessage> messages = request.prompt().messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == ConversationMessage.Role.CUSTOMER) {
        return messages.get(i).text();
      }
    }
    return "";
  }

  private static boolean isGreeting(String question, List<String> terms) {
    List<String> words = List.of(WORDS.split(question.toLowerCase(Locale.ROOT).strip()));
    return words.size() <= 3 && words.stream().anyMatch(GREETINGS::contains);
  }

  /** BM25 (k1 1.2, b 0.75) over the candidates; ties go to the earlier candidate. */
  private static Scored best(List<String> query, List<String> candidates) {
    if (candidates.isEmpty()) {
      return null;
    }
    List<List<String>> documents = candidates.stream().map(LocalResponder::terms).toList();
    double averageLength = documents.stream().mapToInt(List::size).average().orElse(1);
    Map<String, Integer> documentFrequency = new HashMap<>();
    for (List<String> document : documents) {
      document.stream().distinct().forEach(term -> documentFrequency.merge(term, 1, Integer::sum));
    }
    List<String> distinctQuery = query.stream().distinct().toList();
    double queryWeight = distinctQuery.stream()
        .mapToDouble(term -> idf(documents.size(), documentFrequency.getOrDefault(term, 0))).sum();
    List<Scored> scored = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      List<String> document = documents.get(i);
      double score = 0;
      double matchedWeight = 0;
      for (String term : distinctQuery) {
        long frequency = document.stream().filter(term::equals).count();
        if (frequency == 0) {
          continue;
        }
        double idf = idf(documents.size(), documentFrequency.getOrDefault(term, 0));
        matchedWeight += idf;
        score += idf * frequency * 2.2 / (frequency + 1.2 * (0.25 + 0.75 * document.size() / averageLength));
      }
      scored.add(new Scored(i, score, queryWeight == 0 ? 0 : matchedWeight / queryWeight));
    }
    return scored.stream().max(Comparator.comparingDouble(Scored::score).thenComparing(s -> -s.index())).orElseThrow();
  }

  static List<String> terms(String text) {
    List<String> terms = new ArrayList<>();
    for (String word : WORDS.split(text.toLowerCase(Locale.ROOT))) {
      if (word.length() > 1 && !STOP_WORDS.contains(word)) {
        terms.add(stem(word));
      }
    }
    return terms;
  }

  /** A light stemmer: plurals and -ing forms match their base word. */
  private static String stem(String word) {
    if (word.length() > 5 && word.endsWith("ing")) {
      return word.substring(0, word.length() - 3);
    }
    if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
      return word.substring(0, word.length() - 1);
    }
    return word;
  }

  private static String shorten(String passage) {
    String flat = passage.replaceAll("\\s+", " ").replaceAll("^#+ ", "");
    return flat.length() <= MAX_PASSAGE ? flat : flat.substring(0, MAX_PASSAGE - 1).strip() + "…";
  }

  private static ModelReply reply(String text) {
    return new ModelReply(text, List.of(), ModelReply.TokenUsage.NONE, "local", "local");
  }

  private static double idf(int documents, int containing) {
    return Math.log(1 + (documents - containing + 0.5) / (containing + 0.5));
  }

  private record Scored(int index, double score, double coverage) {}
}
