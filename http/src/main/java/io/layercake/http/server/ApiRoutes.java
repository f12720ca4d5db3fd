package io.layercake.http.server;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.health.HealthRoutes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Every route of the node, behind one error handling. */
public final class ApiRoutes extends AllDirectives {
  private final ErrorHandling errorHandling;
  private final HealthRoutes health;

  public ApiRoutes(ErrorHandling errorHandling, HealthRoutes health) {
    this.errorHandling = errorHandling;
    this.health = health;
  }

  public Route routes() {
    return errorHandling.wrap(health::routes);
  }
}
