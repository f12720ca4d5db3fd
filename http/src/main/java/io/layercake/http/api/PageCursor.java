package io.layercake.http.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The opaque {@code cursor} of the API's lists: where the next page starts, as parts the list chose
 * (a time and an id, or an id), encoded so clients pass it back and never build it.
 */
public final class PageCursor {
  private static final String SEPARATOR = "|";

  private PageCursor() {}

  public static String encode(Object... parts) {
    StringBuilder joined = new StringBuilder();
    for (Object part : parts) {
      joined.append(joined.length() == 0 ? "" : SEPARATOR).append(part);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The parts of a cursor this API handed out with that many parts; empty for anything else. */
  public static Optional<List<String>> decode(String cursor, int parts) {
    try {
      List<String> decoded = List.of(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", parts));
      return decoded.size() == parts ? Optional.of(decoded) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
