package io.layercake.http.server;

import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The route template that answered a request (such as {@code /api/v1/conversations/{sessionId}}),
 * carried on the response for metrics. A response without one was answered by no route:
 * {@link #UNMATCHED}. Templates are fixed strings, so labels stay few and never hold an id.
 */
public final class RouteLabel extends AllDirectives {
  public static final String UNMATCHED = "unmatched";
  private static final AttributeKey<String> ROUTE = AttributeKey.create("layercake-route", String.class);

  /** Labels what {@code inner} answers with {@code template}, unless a route inside labelled it more precisely. */
  public Route labelled(String template, Supplier<Route> inner) {
    Route answering = inner.get(); // once: a directive calls its inner supplier for every request
    return mapResponse(response -> response.getAttribute(ROUTE).isPresent() ? response : response.addAttribute(ROUTE, template),
        () -> answering);
  }

  public static String of(HttpResponse response) {
    return response.getAttribute(ROUTE).orElse(UNMATCHED);
  }
}
