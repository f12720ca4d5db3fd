package io.layercake.http.admin;

import io.layercake.config.Catalog;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.CreditAmount;
import io.layercake.http.server.Json;
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
 * Operator endpoints for organizations and their credits, until the REST API brings API keys:
 * {@code POST /admin/organizations}, {@code GET /admin/organizations/{id}},
 * {@code GET /admin/organizations/{id}/balance}, {@code POST .../grants}, {@code POST .../purchases},
 * {@code POST .../tier}.
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

  /** The body of {@code POST .../grants}: sets the bucket for a new period. */
  public record GrantCredits(String periodKey, Bucket bucket, CreditAmount amount) {}

  /** The body of {@code POST .../purchases}: bought credits, once per key. */
  public record AddPurchasedCredits(String idempotencyKey, CreditAmount credits) {}

  /** The body of {@code POST .../tier}. */
  public record ChangeTier(String tier, String idempotencyKey) {}

  public Route routes() {
    return pathPrefix("organizations", () -> concat(
        pathEnd(() -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, CreateOrganization.class), this::create))),
        pathPrefix(orgId -> concat(
            pathEnd(() -> get(() -> answer(organizations.summary(orgId), StatusCodes.OK))),
            path("balance", () -> get(() -> answer(organizations.balance(orgId), StatusCodes.OK))),
            path("grants", () -> post(() ->
                entity(Jackson.unmarshaller(Json.MAPPER, GrantCredits.class), body -> grant(orgId, body)))),
            path("purchases", () -> post(() ->
                entity(Jackson.unmarshaller(Json.MAPPER, AddPurchasedCredits.class), body -> addPurchased(orgId, body)))),
            path("tier", () -> post(() ->
                entity(Jackson.unmarshaller(Json.MAPPER, ChangeTier.class), body -> changeTier(orgId, body))))))));
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
      return invalid("tier must be one of " + tierNames());
    }
    if (body.parentOrgId() != null && body.parentOrgId().equals(orgId)) {
      return invalid("an organization cannot be its own parent");
    }
    CompletionStage<Boolean> parentIsAPool =
        body.parentOrgId() == null ? CompletableFuture.completedFuture(true) : organizations.isPool(body.parentOrgId());
    return onSuccess(parentIsAPool, parentOk -> parentOk
        ? answer(organizations.open(orgId, body.name(), body.tier(), body.parentOrgId()), StatusCodes.CREATED)
        : invalid("parent organization " + body.parentOrgId() + " does not exist or is itself a sub-organization"));
  }

  private Route grant(String orgId, GrantCredits body) {
    if (body.periodKey() == null || body.periodKey().isBlank()) {
      return invalid("periodKey is required (the period as an ISO date: 2026-11 for a month, 2026-11-25 for a day)");
    }
    if (body.bucket() == null || body.bucket() == Bucket.PURCHASED) {
      return invalid("bucket must be daily or monthly (purchased credits are added with POST .../purchases)");
    }
    CreditAmount.Checked amount = CreditAmount.check("amount", body.amount(), 0);
    if (!amount.ok()) {
      return complete(amount.refusal());
    }
    return answer(organizations.grant(orgId, body.periodKey(), body.bucket(), amount.value()), StatusCodes.OK);
  }

  private Route addPurchased(String orgId, AddPurchasedCredits body) {
    if (body.idempotencyKey() == null || body.idempotencyKey().isBlank()) {
      return invalid("idempotencyKey is required");
    }
    CreditAmount.Checked credits = CreditAmount.check("credits", body.credits(), 1);
    if (!credits.ok()) {
      return complete(credits.refusal());
    }
    return answer(organizations.addPurchased(orgId, body.idempotencyKey(), credits.value()), StatusCodes.OK);
  }

  private Route changeTier(String orgId, ChangeTier body) {
    if (body.tier() == null || catalog.tier(body.tier()).isEmpty()) {
      return invalid("tier must be one of " + tierNames());
    }
    if (body.idempotencyKey() == null || body.idempotencyKey().isBlank()) {
      return invalid("idempotencyKey is required");
    }
    return answer(organizations.changeTier(orgId, body.tier(), body.idempotencyKey()), StatusCodes.OK);
  }

  private Route answer(CompletionStage<OrgEntity.Reply> reply, StatusCode success) {
    return onSuccess(reply, answer -> answer(answer, success));
  }

  private Route answer(OrgEntity.Reply reply, StatusCode success) {
    if (reply instanceof OrgEntity.Accepted accepted) {
      return complete(success, OrganizationView.of(accepted.summary()), Json.marshaller());
    }
    if (reply instanceof OrgEntity.CurrentBalance current) {
      return complete(success, BalanceView.of(current.balance()), Json.marshaller());
    }
    if (reply instanceof OrgEntity.Rejected rejected) {
      return complete(rejection(rejected));
    }
    throw new IllegalStateException("unexpected reply " + reply);
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

  private java.util.List<String> tierNames() {
    return catalog.tiers().keySet().stream().sorted().toList();
  }

}
