package io.layercake.http.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The {@code cursor} and {@code limit} of a list paged newest first by time and id: the cursor is
 * the last item of the previous page, opaque to clients ({@link PageCursor}).
 */
public final class TimePaging {
  private static final AllDirectives DIRECTIVES = new AllDirectives() {};

  /** Where a page starts: after this item. */
  public record After(Instant at, String id) {}

  private TimePaging() {}

  /** Reads {@code ?cursor=} and {@code ?limit=} (1 to {@code max}, default {@code size}), or answers 400. */
  public static Route read(int size, int max, BiFunction<Optional<After>, Integer, Route> page) {
    return DIRECTIVES.parameterOptional("cursor", cursor -> DIRECTIVES.parameterOptional("limit", limit -> {
      Optional<After> after = cursor.flatMap(value -> PageCursor.decode(value, 2)).flatMap(TimePaging::after);
      if (cursor.isPresent() && after.isEmpty()) {
        return ApiAccess.invalid("cursor is not one this API handed out");
      }
      if (limit.isPresent() && !limit.get().matches("[1-9]\\d{0,2}")) {
        return ApiAccess.invalid("limit must be a number from 1 to " + max);
      }
      return page.apply(after, Math.min(max, limit.map(Integer::parseInt).orElse(size)));
    }));
  }

  /** The cursor of a page whose last item is this one. */
  public static String next(Instant at, String id) {
    return PageCursor.encode(at, id);
  }

  private static Optional<After> after(List<String> parts) {
    try {
      return Optional.of(new After(Instant.parse(parts.get(0)), parts.get(1)));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
