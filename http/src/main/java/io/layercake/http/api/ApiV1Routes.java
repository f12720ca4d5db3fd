package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.api.contract.ApiReference;
import io.layercake.http.api.contract.OperationRoutes;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.RouteLabel;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The REST API for agency dashboards under {@code /api/v1}: its reference is public, every other
 * operation needs an API key, a portal token or a person's session; a path no operation has answers 404 (after the key is checked), a
 * path with other methods 405.
 */
public final class ApiV1Routes extends AllDirectives {
  private final ApiAccess access;
  private final ApiReference reference;
  private final List<Function<Caller, Route>> groups;
  private final RouteLabel labels = new RouteLabel();

  /** {@code groups}: the routes of each part of the API for an authenticated caller, tried in order. */
  public ApiV1Routes(ApiAccess access, ApiReference reference, List<Function<Caller, Route>> groups) {
    this.access = access;
    this.reference = reference;
    this.groups = List.copyOf(groups);
  }

  public Route routes() {
    // Built once, outside the path directives (which would build it again for every request under /api/v1).
    Route v1 = concat(
        reference.routes(),
        // The webchat API is public and has its own routes: its rejections (a malformed body) must stay 4xx, not become 401.
        pathPrefix("webchat", this::reject),
        access.authenticated(caller -> {
          List<Route> routes = new ArrayList<>();
          groups.forEach(group -> routes.add(group.apply(caller)));
          routes.add(noSuchOperation());
          return concat(routes.get(0), routes.subList(1, routes.size()).toArray(Route[]::new));
        }));
    return pathPrefix("api", () -> pathPrefix("v1", () -> v1));
  }

  /** After the operations: 404 for a path none has; a path some have with other methods is left to the 405. */
  private Route noSuchOperation() {
    return extractRequest(request -> OperationRoutes.apiSegments(request).map(ApiOperation::anyAt).orElse(false)
        ? reject()
        : labels.labelled(RouteLabel.UNMATCHED, () -> complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found",
            "no operation " + request.method().name() + " " + request.getUri().path() + "; the operations are listed at /api/v1/docs"))));
  }
}
