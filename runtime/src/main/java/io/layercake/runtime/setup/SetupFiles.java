package io.layercake.runtime.setup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files a setup writes: {@code agent-config.json} (the published bundle shape, without its
 * documents) and eight knowledge documents, each with the tag that names its topic. Connecting
 * turns the {@code kb/} files into the agent's documents.
 */
public final class SetupFiles {
  public static final String CONFIG = "agent-config.json";
  /** One version of one file may be this long; the knowledge cap is 60K characters for all documents together. */
  public static final int MAX_FILE_CHARACTERS = 20_000;

  private static final Map<String, Document> DOCUMENTS = byPath();

  private SetupFiles() {}

  /** A knowledge document of the setup: its title and topic tag. */
  public record Document(String path, String title, String topic) {}

  public static List<String> paths() {
    List<String> paths = new java.util.ArrayList<>();
    paths.add(CONFIG);
    paths.addAll(DOCUMENTS.keySet());
    return List.copyOf(paths);
  }

  public static List<Document> documents() {
    return List.copyOf(DOCUMENTS.values());
  }

  public static Optional<Document> document(String path) {
    return Optional.ofNullable(DOCUMENTS.get(path));
  }

  public static boolean known(String path) {
    return CONFIG.equals(path) || DOCUMENTS.containsKey(path);
  }

  private static Map<String, Document> byPath() {
    Map<String, Document> documents = new LinkedHashMap<>();
    for (Document document : List.of(
        new Document("kb/hero-profile.md", "Who we are", "profile"),
        new Document("kb/services-and-prices.md", "Services and prices", "prices"),
        new Document("kb/hours-and-area.md", "Opening hours and area", "hours"),
        new Document("kb/booking-and-policies.md", "Booking and policies", "booking"),
        new Document("kb/faq.md", "Frequently asked questions", "faq"),
        new Document("kb/team-and-handoff.md", "Team and hand-off", "team"),
        new Document("kb/tone-and-voice.md", "Tone and voice", "tone"),
        new Document("kb/success-stories.md", "Happy customers", "stories"))) {
      documents.put(document.path(), document);
    }
    return java.util.Collections.unmodifiableMap(documents);
  }
}
