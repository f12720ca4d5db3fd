package io.layercake.http.api.contract;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.RouteLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Rejections;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Routes an {@link ApiOperation}: matches the request's method and path against the operation's
 * template, binds the path variables and labels the answer with the template. A request the
 * operation's route rejects (an unreadable body) is answered here, so it keeps its label.
 */
public final class OperationRoutes extends AllDirectives {
  private static final List<String> PREFIX = List.of("api", "v1");

  private final RouteLabel labels = new RouteLabel();
  private final ErrorHandling errors;

  public OperationRoutes(ErrorHandling errors) {
    this.errors = errors;
  }

  public Route operation(ApiOperation operation, Function<ApiOperation.Match, Route> inner) {
    return extractRequest(request -> {
      Optional<Map<String, String>> bound = apiSegments(request).flatMap(segments -> operation.path().match(segments));
      if (bound.isEmpty()) {
        return reject();
      }
      if (!request.method().name().equals(operation.method())) {
        return reject(Rejections.method(HttpMethods.lookup(operation.method()).orElseThrow()));
      }
      return labels.labelled(operation.route(), () -> errors.handled(() -> inner.apply(new ApiOperation.Match(operation, bound.get()))));
    });
  }

  /** The decoded path segments after {@code /api/v1}, when the request is for the API. */
  public static Optional<List<String>> apiSegments(HttpRequest request) {
    List<String> segments = new ArrayList<>();
    request.getUri().pathSegments().forEach(segments::add);
    if (segments.size() < PREFIX.size() || !segments.subList(0, PREFIX.size()).equals(PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(segments.subList(PREFIX.size(), segments.size()));
  }
}
