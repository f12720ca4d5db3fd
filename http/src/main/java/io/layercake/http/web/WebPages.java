package io.layercake.http.web;

import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The public pages a browser sees, served from the jar: the demo page at {@code /} and the
 * embeddable {@code /widget.js}, plain HTML and JavaScript using only the public webchat API. The
 * first dashboard's address, {@code /dashboard}, now sends to the agency's inbox under {@code /app}.
 */
public final class WebPages extends AllDirectives {
  private static final String ROOT = "web/";

  public Route routes() {
    return concat(
        pathEndOrSingleSlash(() -> page("index.html")),
        path("widget.js", () -> page("widget.js")),
        path("dashboard", () -> redirect(Uri.create("/app/inbox"), StatusCodes.MOVED_PERMANENTLY)));
  }

  /** Compressed when the browser accepts it; revalidated on every load, so a release reaches every embedding page at once. */
  private Route page(String name) {
    return get(() -> encodeResponse(() ->
        respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE)), () -> getFromResource(ROOT + name))));
  }
}
