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
  private final WebhookApiRoutes webhooks;

  public ApiV1Routes(ApiAccess access, ConversationApiRoutes conversations, OrganizationApiRoutes organizations,
      CreditApiRoutes credits, KeyApiRoutes keys, WebhookApiRoutes webhooks) {
    this.access = access;
    this.conversations = conversations;
    this.organizations = organizations;
    this.credits = credits;
    this.keys = keys;
    this.webhooks = webhooks;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> extractUnmatchedPath(rest -> rest.startsWith("/webchat")
        // The webchat API is public and has its own routes: its rejections (a malformed body) must stay 4xx, not become 401.
        ? reject()
        : access.authenticated(caller -> concat(
            conversations.routes(caller), organizations.routes(caller), credits.routes(caller), keys.routes(caller),
            webhooks.routes(caller))))));
  }
}
