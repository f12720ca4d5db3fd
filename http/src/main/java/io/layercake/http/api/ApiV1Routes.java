package io.layercake.http.api;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** The REST API for agency dashboards under {@code /api/v1}, behind API keys. */
public final class ApiV1Routes extends AllDirectives {
  private final ApiAccess access;
  private final ConversationApiRoutes conversations;
  private final OrganizationApiRoutes organizations;
  private final CreditApiRoutes credits;
  private final KeyApiRoutes keys;

  public ApiV1Routes(ApiAccess access, ConversationApiRoutes conversations, OrganizationApiRoutes organizations,
      CreditApiRoutes credits, KeyApiRoutes keys) {
    this.access = access;
    this.conversations = conversations;
    this.organizations = organizations;
    this.credits = credits;
    this.keys = keys;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> access.authenticated(caller -> concat(
        conversations.routes(caller), organizations.routes(caller), credits.routes(caller), keys.routes(caller)))));
  }
}
