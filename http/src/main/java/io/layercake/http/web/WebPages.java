package io.layercake.http.web;

import java.util.List;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The pages a browser sees, served from the jar: the demo page at {@code /}, the embeddable
 * {@code /widget.js}, and the agency dashboard at {@code /dashboard}. Plain HTML and JavaScript,
 * no build step. They use only the public webchat API and the REST API with the visitor's key.
 */
public final class WebPages extends AllDirectives {
  private static final String ROOT = "web/";

  public Route routes() {
    return concat(
        pathEndOrSingleSlash(() -> page("index.html")),
        path("widget.js", () -> page("widget.js")),
        path("dashboard", () -> page("dashboard.html")),
        path("dashboard.js", () -> page("dashboard.js")),
        path("dashboard.css", () -> page("dashboard.css")));
  }

  /** Compressed when the browser accepts it; revalidated on every load, so a release reaches every embedding page at once. */
  private Route page(String name) {
    return get(() -> encodeResponse(() ->
        respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE)), () -> getFromResource(ROOT + name))));
  }
}
