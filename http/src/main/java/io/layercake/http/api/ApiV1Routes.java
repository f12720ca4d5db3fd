package io.layercake.http.api;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
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
  private final AgentApiRoutes agents;
  private final BillingApiRoutes billing;
  private final String openApi;

  public ApiV1Routes(ApiAccess access, ConversationApiRoutes conversations, OrganizationApiRoutes organizations,
      CreditApiRoutes credits, KeyApiRoutes keys, WebhookApiRoutes webhooks, AgentApiRoutes agents, BillingApiRoutes billing) {
    this.access = access;
    this.conversations = conversations;
    this.organizations = organizations;
    this.credits = credits;
    this.keys = keys;
    this.webhooks = webhooks;
    this.agents = agents;
    this.billing = billing;
    this.openApi = openApiDocument();
  }

  /** The OpenAPI 3 document of this API (src/main/resources/openapi.json); a test keeps it true to the routes. */
  private static String openApiDocument() {
    try (java.io.InputStream in = ApiV1Routes.class.getResourceAsStream("/openapi.json")) {
      return new String(java.util.Objects.requireNonNull(in, "openapi.json is packaged").readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> extractUnmatchedPath(rest -> rest.equals("/openapi.json")
        ? get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, openApi)))
        : rest.startsWith("/webchat")
        // The webchat API is public and has its own routes: its rejections (a malformed body) must stay 4xx, not become 401.
        ? reject()
        : access.authenticated(caller -> concat(
            conversations.routes(caller), organizations.routes(caller), credits.routes(caller), keys.routes(caller),
            webhooks.routes(caller), agents.routes(caller), billing.routes(caller))))));
  }
}
