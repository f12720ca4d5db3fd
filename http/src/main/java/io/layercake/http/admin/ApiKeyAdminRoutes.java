package io.layercake.http.admin;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.KeyApiRoutes;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.ApiKeys;
import io.layercake.runtime.credits.Organizations;
import java.util.Map;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** API keys for operators: create an organization's keys (the first one, typically with {@code keys:write}), list, revoke. */
public final class ApiKeyAdminRoutes extends AllDirectives {
  private final ApiKeys keys;
  private final Organizations organizations;

  public ApiKeyAdminRoutes(ApiKeys keys, Organizations organizations) {
    this.keys = keys;
    this.organizations = organizations;
  }

  public Route routes() {
    return pathPrefix("organizations", () -> pathPrefix(orgId -> pathPrefix("api-keys", () -> concat(
        pathEnd(() -> concat(
            get(() -> onSuccess(keys.list(orgId), found -> complete(StatusCodes.OK, Map.of("apiKeys", found), Json.marshaller()))),
            post(() -> entity(Jackson.unmarshaller(Json.MAPPER, KeyApiRoutes.KeyBody.class), body ->
                onSuccess(organizations.exists(orgId), exists -> exists
                    ? KeyApiRoutes.create(keys, orgId, body, "operator")
                    : ApiAccess.notFound("organization " + orgId)))))),
        path(keyId -> delete(() -> onSuccess(keys.revoke(orgId, keyId), revoked -> revoked
            ? complete(StatusCodes.OK, Map.of("revoked", keyId), Json.marshaller())
            : ApiAccess.notFound("API key " + keyId))))))));
  }
}
