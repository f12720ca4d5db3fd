package io.layercake.runtime.knowledge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document cut into passages of at most {@link #MAX_CHARACTERS} (paragraphs kept together while
 * they fit, a long one cut at sentence ends), each with its retrieval terms. Cutting and analyzing
 * a long manual takes a while, so the last documents asked for are kept (by id, version and language).
 */
final class Passages {
  static final int MAX_CHARACTERS = 1_200;
  private static final int CACHED_DOCUMENTS = 64;
  private static final Map<String, List<Passage>> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<Passage>> eldest) {
      return size() > CACHED_DOCUMENTS;
    }
  };

  private Passages() {}

  record Passage(String text, List<String> terms) {}

  static List<Passage> of(KnowledgeDocument document, String language) {
    String key = document.documentId() + "@" + document.updatedAt() + "/" + language + "/" + document.text().length();
    synchronized (CACHE) {
      List<Passage> cached = CACHE.get(key);
      if (cached != null) {
        return cached;
      }
    }
    List<Passage> passages = new ArrayList<>();
    for (String text : cut(document.text())) {
      passages.add(new Passage(text, RetrievalTerms.of(document.title() + "\n" + text, language)));
    }
    List<Passage> made = List.copyOf(passages);
    synchronized (CACHE) {
      CACHE.put(key, made);
    }
    return made;
  }

  static List<String> cut(String text) {
    List<String> pieces = new ArrayList<>();
    for (String paragraph : text.split("\\n\\s*\\n")) {
      String stripped = paragraph.strip();
      while (stripped.length() > MAX_CHARACTERS) {
        int end = stripped.lastIndexOf(". ", MAX_CHARACTERS - 1);
        int cut = end > MAX_CHARACTERS / 3 ? end + 1 : MAX_CHARACTERS;
        pieces.add(stripped.substring(0, cut).strip());
        stripped = stripped.substring(cut).strip();
      }
      if (!stripped.isEmpty()) {
        pieces.add(stripped);
      }
    }
    List<String> passages = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String piece : pieces) {
      if (current.length() > 0 && current.length() + 2 + piece.length() > MAX_CHARACTERS) {
        passages.add(current.toString());
        current.setLength(0);
      }
      current.append(current.length() > 0 ? "\n\n" : "").append(piece);
    }
    if (current.length() > 0) {
      passages.add(current.toString());
    }
    return passages;
  }
}
