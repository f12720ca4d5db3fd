package io.layercake.runtime.llm;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.Bm25;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.RetrievalTerms;
import io.layercake.runtime.tools.Tool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The {@code local} provider: an offline responder so the product works without an API key. It
 * greets, answers from the best-matching FAQ entry or knowledge passage (BM25 over terms Lucene's
 * analyzer for the agent's language gives), offers a person when nothing matches well, and hands
 * the conversation over when the customer accepts that offer. Deterministic for the same request.
 */
public final class LocalResponder implements LanguageModel {
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Set<String> GREETINGS = Set.of("hi", "hello", "hey", "hallo", "hoi", "goedemorgen", "good", "morning", "bonjour", "hola");
  /**
   * A match must cover at least half of the question's informative words, weighted by rarity. No
   * absolute score floor: BM25 scores shrink with the corpus, and an agent with one FAQ entry must
   * still answer it.
   */
  private static final double COVERAGE = 0.5;
  private static final int MAX_PASSAGE = 480;
  static final String OFFER = "I'm not sure about that. Would you like me to ask someone from the team to get back to you?";
  private static final Set<String> YES = Set.of("yes", "yes please", "yeah", "yep", "sure", "ok", "okay", "please", "please do",
      "yes thanks", "yes thank you", "that would be great", "go ahead", "ja", "ja graag", "graag", "ja hoor", "oui",
      "si", "sí", "bitte", "ja bitte", "gerne");

  public LocalResponder() {
    // Lucene's analyzers load on first use (tens of milliseconds): the node pays that at start, not a customer.
    RetrievalTerms.of("warm up", "en");
  }

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    if (request.toolRounds().stream().anyMatch(round -> Tool.HANDOFF_TO_HUMAN.toolName().equals(round.call().name()))) {
      return CompletableFuture.completedFuture(reply("Thanks! I've asked someone from the team to get back to you here."));
    }
    String question = ConversationMessage.lastFromCustomer(request.prompt().messages());
    if (acceptsOffer(request.prompt().messages(), question)) {
      return CompletableFuture.completedFuture(request.tools().stream().anyMatch(tool -> tool.name().equals(Tool.HANDOFF_TO_HUMAN.toolName()))
          ? new ModelReply("", List.of(new ModelReply.ToolCallRequest("local_handoff", Tool.HANDOFF_TO_HUMAN.toolName(),
              Map.of("reason", "The customer asked for someone from the team"))), ModelReply.TokenUsage.NONE, "local", "local")
          : reply(request.agent().unavailableMessage() != null && !request.agent().unavailableMessage().isBlank()
              ? request.agent().unavailableMessage()
              : "I can't pass this on from here, sorry. Please contact the business directly."));
    }
    return CompletableFuture.completedFuture(answer(request.agent(), question, request.knowledge()));
  }

  /** The customer said yes to the offer of a person this responder made in its last message. */
  private static boolean acceptsOffer(List<ConversationMessage> messages, String answer) {
    String said = answer.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\s]", " ").replaceAll("\\s+", " ").strip();
    if (!YES.contains(said)) {
      return false;
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == ConversationMessage.Role.AGENT) {
        return messages.get(i).text().equals(OFFER);
      }
    }
    return false;
  }

  ModelReply answer(AgentConfig agent, String question, List<KnowledgeDocument> knowledge) {
    String language = RetrievalTerms.language(agent.languages(), question);
    List<String> terms = RetrievalTerms.of(question, language);
    if (terms.isEmpty() || isGreeting(question, terms)) {
      return reply(agent.greeting() != null && !agent.greeting().isBlank()
          ? agent.greeting()
          : "Hi! I'm " + agent.name() + ". How can I help you?");
    }
    // FAQ entries and knowledge passages are scored as one corpus, so rare words weigh the same in both.
    // An FAQ entry is matched mostly on its question (counted twice); a passage also by its heading,
    // since "We work Monday to Friday" under "Opening hours" answers "when are you open?".
    List<String> candidates = new ArrayList<>();
    List<List<String>> indexed = new ArrayList<>();
    for (AgentConfig.FaqEntry entry : agent.faq()) {
      candidates.add(entry.answer());
      indexed.add(RetrievalTerms.of(entry.question() + "\n" + entry.question() + "\n" + entry.answer(), language));
    }
    int faqCount = candidates.size();
    for (KnowledgeDocument document : knowledge) {
      String heading = document.title() == null ? "" : document.title();
      for (String paragraph : document.text().split("\\n\\s*\\n")) {
        String passage = paragraph.strip();
        if (passage.startsWith("#")) {
          heading = passage.replaceAll("^#+\\s*", "");
        } else if (!passage.isEmpty()) {
          candidates.add(passage);
          indexed.add(RetrievalTerms.of(heading + "\n" + passage, language));
        }
      }
    }
    Bm25.Scored best = best(terms, indexed);
    if (best != null && best.score() > 0 && best.coverage() >= COVERAGE) {
      return reply(best.index() < faqCount
          ? agent.faq().get(best.index()).answer().strip()
          : shorten(candidates.get(best.index())));
    }
    return reply(OFFER);
  }

  private static boolean isGreeting(String question, List<String> terms) {
    List<String> words = List.of(WORDS.split(question.toLowerCase(Locale.ROOT).strip()));
    return words.size() <= 3 && words.stream().anyMatch(GREETINGS::contains);
  }

  /** The best-scoring candidate; ties go to the earlier one. */
  private static Bm25.Scored best(List<String> query, List<List<String>> documents) {
    return Bm25.score(query, documents).stream()
        .max(Comparator.comparingDouble(Bm25.Scored::score).thenComparing(scored -> -scored.index()))
        .orElse(null);
  }

  private static String shorten(String passage) {
    String flat = passage.replaceAll("\\s+", " ").replaceAll("^#+ ", "");
    return flat.length() <= MAX_PASSAGE ? flat : flat.substring(0, MAX_PASSAGE - 1).strip() + "…";
  }

  private static ModelReply reply(String text) {
    return new ModelReply(text, List.of(), ModelReply.TokenUsage.NONE, "local", "local");
  }
}
