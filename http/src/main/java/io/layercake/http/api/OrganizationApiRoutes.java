package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.CatchUp;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Sub-organizations ({@code /api/v1/organizations/children}): an agency's clients, drawing on its
 * credits. Each comes with what needs attention in it ({@link ClientOverview}).
 */
public final class OrganizationApiRoutes extends AllDirectives {
  private static final Pattern ORG_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final ApiAccess access;
  private final Organizations organizations;
  private final OrgDirectory directory;
  private final ClientOverview overview;
  private final Executor executor;
  private final Clock clock;
  private final CatchUp catchUp;

  /** {@code catchUp}: how a write waits for the organization directory, so the writer's next read shows it. */
  public OrganizationApiRoutes(ApiAccess access, Organizations organizations, OrgDirectory directory,
      ClientOverview overview, Executor executor, Clock clock, CatchUp catchUp) {
    this.catchUp = catchUp;
    this.access = access;
    this.organizations = organizations;
    this.directory = directory;
    this.overview = overview;
    this.executor = executor;
    this.clock = clock;
  }

  public record ChildBody(String id, String name) {}

  public record ClientList(List<ClientOverview.ClientView> organizations) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_CLIENTS, match -> onSuccess(directory.children(caller.orgId()),
            children -> onSuccess(overview.clients(children),
                views -> complete(StatusCodes.OK, new ClientList(views), Json.marshaller())))),
        access.operation(caller, ApiOperation.CREATE_CLIENT, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChildBody.class), body -> create(caller, body))),
        access.operation(caller, ApiOperation.GET_CLIENT, match -> child(caller, match.variable("childId"), () ->
            onSuccess(overview.client(match.variable("childId")), view -> complete(StatusCodes.OK, view, Json.marshaller())))),
        access.operation(caller, ApiOperation.RENAME_CLIENT, match -> child(caller, match.variable("childId"), () ->
            entity(Jackson.unmarshaller(Json.MAPPER, ChildBody.class), body ->
                onSuccess(organizations.rename(match.variable("childId"), body.name()),
                    reply -> renamed(match.variable("childId"), reply))))));
  }

  /**
   * Answers once the directory shows the new name, so the caller's next read (one child, the list)
   * shows it too; the answer carries the entity's name even if the directory is slower than the bound.
   */
  private Route renamed(String childId, OrgEntity.Reply reply) {
    if (reply instanceof OrgEntity.Accepted accepted) {
      String name = accepted.summary().name();
      CompletionStage<ClientOverview.ClientView> shown = catchUp.until(() -> directory.find(childId),
              entry -> entry.map(found -> java.util.Objects.equals(found.name(), name)).orElse(false))
          .thenComposeAsync(entry -> overview.client(childId), executor)
          .thenApplyAsync(view -> new ClientOverview.ClientView(view.id(), name, view.parentOrgId(), view.openedAt(), view.conversations(),
              view.creditsUsedThisMonth(), view.activeToday(), view.activeThisMonth(), view.waitingForAPerson(), view.leadsThisMonth(),
              view.bookingRequestsThisMonth(), view.reviewRequestsThisMonth(), view.reviewLinksFollowedThisMonth(), view.lastActivityAt()),
              executor);
      return onSuccess(shown, view -> complete(StatusCodes.OK, view, Json.marshaller()));
    }
    String message = reply instanceof OrgEntity.Rejected rejected ? rejected.message() : String.valueOf(reply);
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }

  private Route create(Caller caller, ChildBody body) {
    String childId = body.id() == null ? "org_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) : body.id();
    if (!ORG_ID.matcher(childId).matches()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "id must be 1 to 64 letters, digits, '-' or '_'"));
    }
    return onSuccess(organizations.summary(caller.orgId()), parent -> {
      if (!(parent instanceof OrgEntity.Accepted accepted) || accepted.summary().parentOrgId() != null) {
        return complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "not_an_agency", "only an organization without a parent has sub-organizations"));
      }
      return onSuccess(organizations.open(childId, body.name(), accepted.summary().tier(), caller.orgId()), opened -> {
        if (opened instanceof OrgEntity.Accepted created) {
          // the directory (a projection) decides who sees the child: answer once it lists it
          return onSuccess(catchUp.until(() -> directory.find(childId), java.util.Optional::isPresent),
              listed -> complete(StatusCodes.CREATED, created.summary(), Json.marshaller()));
        }
        OrgEntity.Rejected rejected = (OrgEntity.Rejected) opened;
        return complete(rejected.reason() == OrgEntity.Reason.CONFLICT
            ? ErrorHandling.response(StatusCodes.CONFLICT, "conflict", "organization id " + childId + " is taken")
            : ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", rejected.message()));
      });
    });
  }

  /** The child, when it is the caller's; 404 otherwise (a sibling or a stranger alike). */
  private Route child(Caller caller, String childId, java.util.function.Supplier<Route> inner) {
    return onSuccess(directory.find(childId), found -> found.isPresent() && caller.orgId().equals(found.get().parentOrgId())
        ? inner.get()
        : ApiAccess.notFound("sub-organization " + childId));
  }

}
