package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.api.contract.ApiReference;
import io.layercake.http.api.contract.OperationRoutes;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.RouteLabel;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The REST API for agency dashboards under {@code /api/v1}: its reference is public, every other
 * operation needs an API key, a portal token or a person's session; a path no operation has answers 404 (after the key is checked), a
 * path with other methods 405.
 */
public final class ApiV1Routes extends AllDirectives {
  private final ApiAccess access;
  private final ApiReference reference;
  private final ConversationApiRoutes conversations;
  private final OrganizationApiRoutes organizations;
  private final CreditApiRoutes credits;
  private final KeyApiRoutes keys;
  private final WebhookApiRoutes webhooks;
  private final AgentApiRoutes agents;
  private final BillingApiRoutes billing;
  private final PeopleApiRoutes people;
  private final RouteLabel labels = new RouteLabel();

  public ApiV1Routes(ApiAccess access, ApiReference reference, ConversationApiRoutes conversations,
      OrganizationApiRoutes organizations, CreditApiRoutes credits, KeyApiRoutes keys, WebhookApiRoutes webhooks,
      AgentApiRoutes agents, BillingApiRoutes billing, PeopleApiRoutes people) {
    this.people = people;
    this.access = access;
    this.reference = reference;
    this.conversations = conversations;
    this.organizations = organizations;
    this.credits = credits;
    this.keys = keys;
    this.webhooks = webhooks;
    this.agents = agents;
    this.billing = billing;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> concat(
        reference.routes(),
        // The webchat API is public and has its own routes: its rejections (a malformed body) must stay 4xx, not become 401.
        pathPrefix("webchat", this::reject),
        access.authenticated(caller -> concat(
            conversations.routes(caller), organizations.routes(caller), credits.routes(caller), keys.routes(caller),
            webhooks.routes(caller), agents.routes(caller), billing.routes(caller), people.routes(caller),
            noSuchOperation())))));
  }

  /** After the operations: 404 for a path none has; a path some have with other methods is left to the 405. */
  private Route noSuchOperation() {
    return extractRequest(request -> OperationRoutes.apiSegments(request).map(ApiOperation::anyAt).orElse(false)
        ? reject()
        : labels.labelled(RouteLabel.UNMATCHED, () -> complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found",
            "no operation " + request.method().name() + " " + request.getUri().path() + "; the operations are listed at /api/v1/docs"))));
  }
}
