package io.layercake.http.admin;

import io.layercake.config.Catalog;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Operator endpoints for organizations, until the REST API brings API keys:
 * {@code POST /admin/organizations}, {@code GET /admin/organizations/{id}},
 * {@code POST /admin/organizations/{id}/grants}.
 */
public final class OrganizationAdminRoutes extends AllDirectives {
  private static final Pattern ORG_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Organizations organizations;
  private final Catalog catalog;

  public OrganizationAdminRoutes(Organizations organizations, Catalog catalog) {
    this.organizations = organizations;
    this.catalog = catalog;
  }

  /** The body of {@code POST /admin/organizations}; {@code id} is generated when absent. */
  public record CreateOrganization(String id, String name, String tier, String parentOrgId) {}

  /** The body of {@code POST /admin/organizations/{id}/grants}. */
  public record GrantCredits(String periodKey, Bucket bucket, Long amount) {}

  /** An organization as the API shows it. */
  public record OrganizationView(String id, String name, String tier, String parentOrgId, Balances balances) {
    static OrganizationView of(OrgEntity.Summary summary) {
      return new OrganizationView(summary.orgId(), summary.name(), summary.tier(), summary.parentOrgId(), summary.balances());
    }
  }

  public Route routes() {
    return pathPrefix("organizations", () -> concat(
        pathEnd(() -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, CreateOrganization.class), this::create))),
        pathPrefix(segment -> concat(
            pathEnd(() -> get(() -> onSuccess(organizations.summary(segment), reply -> answer(reply, StatusCodes.OK)))),
            path("grants", () -> post(() ->
                entity(Jackson.unmarshaller(Json.MAPPER, GrantCredits.class), body -> grant(segment, body))))))));
  }

  private Route create(CreateOrganization body) {
    String orgId = body.id() == null ? "org_" + UUID.randomUUID().toString().replace("-", "") : body.id();
    if (!ORG_ID.matcher(orgId).matches()) {
      return invalid("id must be 1 to 64 letters, digits, '-' or '_'");
    }
    if (body.name() == null || body.name().isBlank()) {
      return invalid("name is required");
    }
    if (body.tier() == null || catalog.tier(body.tier()).isEmpty()) {
      return invalid("tier must be one of " + catalog.tiers().keySet().stream().sorted().toList());
    }
    if (body.parentOrgId() != null && body.parentOrgId().equals(orgId)) {
      return invalid("an organization cannot be its own parent");
    }
    CompletionStage<Boolean> parentFound =
        body.parentOrgId() == null ? CompletableFuture.completedFuture(true) : organizations.exists(body.parentOrgId());
    return onSuccess(parentFound, found -> found
        ? onSuccess(organizations.open(orgId, body.name(), body.tier(), body.parentOrgId()), reply -> answer(reply, StatusCodes.CREATED))
        : invalid("parent organization " + body.parentOrgId() + " does not exist"));
  }

  private Route grant(String orgId, GrantCredits body) {
    if (body.periodKey() == null || body.periodKey().isBlank()) {
      return invalid("periodKey is required (for example the month, 2026-11)");
    }
    if (body.bucket() == null) {
      return invalid("bucket must be one of daily, monthly, purchased");
    }
    if (body.amount() == null || body.amount() <= 0) {
      return invalid("amount must be a whole number greater than 0");
    }
    return onSuccess(organizations.grant(orgId, body.periodKey(), body.bucket(), body.amount()), reply -> answer(reply, StatusCodes.OK));
  }

  private Route answer(OrgEntity.Reply reply, StatusCode success) {
    if (reply instanceof OrgEntity.Accepted accepted) {
      return complete(success, OrganizationView.of(accepted.summary()), Json.marshaller());
    }
    return complete(rejection((OrgEntity.Rejected) reply));
  }

  private static HttpResponse rejection(OrgEntity.Rejected rejected) {
    return switch (rejected.reason()) {
      case NOT_FOUND -> ErrorHandling.response(StatusCodes.NOT_FOUND, "organization_not_found", rejected.message());
      case CONFLICT -> ErrorHandling.response(StatusCodes.CONFLICT, "conflict", rejected.message());
      case INVALID -> ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", rejected.message());
    };
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
