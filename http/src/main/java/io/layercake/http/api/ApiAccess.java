package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.api.contract.OperationRoutes;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.people.PersonAuthentication;
import io.layercake.http.people.PortalTokens;
import io.layercake.http.people.SessionCookies;
import io.layercake.runtime.access.ApiKeys;
import io.layercake.runtime.access.OrgDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Who may do what in the API: a bearer API key names the organization and its scopes, a person's
 * role grants theirs ({@link io.layercake.runtime.people.Role}, the one permission table); 401
 * without a credential; a missing scope is a 403 that names it; an organization sees itself and its
 * sub-organizations, and anything else answers as if it did not exist (404).
 */
public final class ApiAccess extends AllDirectives {
  private static final String BEARER = "Bearer ";
  private static final int MAX_CREDENTIAL = 2000;

  private final ApiKeys keys;
  private final PersonAuthentication people;
  private final OrgDirectory directory;
  private final Executor executor;
  private final OperationRoutes operations;
  private final IdempotentRequests idempotent;

  public ApiAccess(ApiKeys keys, PersonAuthentication people, OrgDirectory directory, OperationRoutes operations,
      IdempotentRequests idempotent, Executor executor) {
    this.people = people;
    this.operations = operations;
    this.idempotent = idempotent;
    this.keys = keys;
    this.directory = directory;
    this.executor = executor;
  }

  /**
   * The caller: a bearer API key or portal token, else the session cookie of a signed-in person;
   * 401 with none of them.
   */
  public Route authenticated(Function<Caller, Route> inner) {
    return optionalHeaderValueByName("Authorization", header -> header.isPresent()
        ? bearer(header.get(), inner)
        : optionalCookie(SessionCookies.NAME, cookie -> cookie
            .map(found -> people.sessionCaller(found.value(), inner))
            .orElseGet(() -> complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "unauthorized",
                "sign in, or send an API key: Authorization: Bearer <key>")))));
  }

  private Route bearer(String header, Function<Caller, Route> inner) {
    Optional<String> presented = Optional.of(header).filter(value -> value.startsWith(BEARER)).map(value -> value.substring(BEARER.length()).strip());
    if (presented.isEmpty() || presented.get().isEmpty() || presented.get().length() > MAX_CREDENTIAL) {
      return complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "unauthorized", "an API key is required: Authorization: Bearer <key>"));
    }
    if (PortalTokens.looksLikeJwt(presented.get())) {
      return people.portalTokenCaller(presented.get(), inner);
    }
    return onSuccess(keys.authenticate(presented.get()), key -> key
        .map(found -> inner.apply(Caller.key(found.orgId(), found.scopes(), found.keyId(), found.name())))
        .orElseGet(() -> complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "unauthorized", "the API key is unknown or revoked"))));
  }

  /**
   * The operation's route, when the caller's key has the scope the operation needs; an operation that
   * creates something honours {@code Idempotency-Key}.
   */
  public Route operation(Caller caller, ApiOperation operation, Function<ApiOperation.Match, Route> inner) {
    Function<ApiOperation.Match, Route> once = operation.idempotent()
        ? match -> idempotent.once(caller.orgId(), operation.acceptsUploads(), () -> inner.apply(match))
        : inner;
    return operations.operation(operation, match -> operation.scope()
        .map(scope -> scoped(caller, scope, () -> once.apply(match)))
        .orElseGet(() -> once.apply(match)));
  }

  public Route scoped(Caller caller, String scope, Supplier<Route> inner) {
    return caller.scopes().contains(scope)
        ? inner.get()
        : complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "missing_scope", caller.person()
          .map(person -> "the role " + person.role().wireName() + " does not allow " + scope)
          .orElse("this key lacks the scope " + scope)));
  }

  /** The organizations the caller sees: its own and its sub-organizations. */
  public CompletionStage<List<String>> visibleOrgs(Caller caller) {
    return directory.children(caller.orgId()).thenApplyAsync(children -> {
      List<String> orgs = new ArrayList<>();
      orgs.add(caller.orgId());
      children.forEach(child -> orgs.add(child.orgId()));
      return orgs;
    }, executor);
  }

  public CompletionStage<Boolean> canSee(Caller caller, String orgId) {
    if (orgId == null) {
      return CompletableFuture.completedFuture(false);
    }
    if (orgId.equals(caller.orgId())) {
      return CompletableFuture.completedFuture(true);
    }
    return directory.find(orgId).thenApplyAsync(
        entry -> entry.map(found -> caller.orgId().equals(found.parentOrgId())).orElse(false), executor);
  }

  /**
   * {@code inner} with the organization the request is about: {@code ?orgId=} (one the caller sees:
   * its own or a client's, else 404), or the caller's own.
   */
  public Route inOrganization(Caller caller, java.util.function.Function<String, Route> inner) {
    return parameterOptional("orgId", orgId -> orgId.isEmpty() || orgId.get().equals(caller.orgId())
        ? inner.apply(caller.orgId())
        : visible(caller, orgId.get(), "organization " + orgId.get(), () -> inner.apply(orgId.get())));
  }

  /** {@code inner} when the caller sees the organization, else 404 naming {@code what}. */
  public Route visible(Caller caller, String orgId, String what, Supplier<Route> inner) {
    return onSuccess(canSee(caller, orgId), sees -> sees ? inner.get() : notFound(what));
  }

  public static Route notFound(String what) {
    return refuse(StatusCodes.NOT_FOUND, "not_found", "no " + what);
  }

  /** 400 {@code invalid_request} with a message a person can act on. */
  public static Route invalid(String message) {
    return refuse(StatusCodes.BAD_REQUEST, "invalid_request", message);
  }

  /** An error in the API's one shape. */
  public static Route refuse(org.apache.pekko.http.javadsl.model.StatusCode status, String code, String message) {
    return new AllDirectives() {}.complete(ErrorHandling.response(status, code, message));
  }

  /** {@code inner} for a person; an API key (which has no user) is refused with 403 and {@code why}. */
  public static Route asPerson(Caller caller, String why, java.util.function.Function<Caller.Person, Route> inner) {
    return caller.person().map(inner).orElseGet(() -> refuse(StatusCodes.FORBIDDEN, "forbidden", why));
  }
}
