package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.ApiKeys;
import io.layercake.runtime.access.Scopes;
import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * API keys ({@code /api/v1/api-keys}, scope {@code keys:write}): a key creates keys for its own
 * organization with at most its own scopes; the key is shown once. Operators create the first key
 * of an organization through {@code POST /admin/organizations/{id}/api-keys}.
 */
public final class KeyApiRoutes extends AllDirectives {
  private final ApiAccess access;
  private final ApiKeys keys;

  public KeyApiRoutes(ApiAccess access, ApiKeys keys) {
    this.access = access;
    this.keys = keys;
  }

  public record KeyBody(String name, List<String> scopes) {}

  public record ApiKeyList(List<ApiKeys.ApiKey> apiKeys) {}

  public record Revoked(String revoked) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_API_KEYS, match -> onSuccess(keys.list(caller.orgId()),
            found -> complete(StatusCodes.OK, new ApiKeyList(found), Json.marshaller()))),
        access.operation(caller, ApiOperation.CREATE_API_KEY, match -> entity(Jackson.unmarshaller(Json.MAPPER, KeyBody.class), body -> {
          if (body.scopes() != null && !caller.scopes().containsAll(body.scopes())) {
            return complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "missing_scope", "a key can only give scopes it has itself"));
          }
          return create(keys, caller.orgId(), body, caller.actor());
        })),
        access.operation(caller, ApiOperation.REVOKE_API_KEY, match -> onSuccess(keys.revoke(caller.orgId(), match.variable("keyId")),
            revoked -> revoked
                ? complete(StatusCodes.OK, new Revoked(match.variable("keyId")), Json.marshaller())
                : ApiAccess.notFound("API key " + match.variable("keyId")))));
  }

  /** Creates a key after checking its name and scopes; shared with the operator route. */
  public static Route create(ApiKeys keys, String orgId, KeyBody body, String createdBy) {
    AllDirectives d = new AllDirectives() {};
    if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
      return d.complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "name is required, at most 200 characters"));
    }
    if (body.scopes() == null || body.scopes().isEmpty() || !Scopes.ALL.containsAll(body.scopes())) {
      return d.complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request",
          "scopes must be a non-empty list of " + Scopes.ALL.stream().sorted().toList()));
    }
    return d.onSuccess(keys.create(orgId, body.name().strip(), Set.copyOf(body.scopes()), createdBy),
        created -> d.complete(StatusCodes.CREATED, created, Json.marshaller()));
  }
}
