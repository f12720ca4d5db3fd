package io.layercake.http.api;

import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.admin.BillingAdminRoutes;
import io.layercake.http.billing.BillingService;
import io.layercake.http.server.Json;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Billing under API keys ({@code /api/v1/billing/checkout}, scope {@code billing:write}): the caller's organization buys. */
public final class BillingApiRoutes extends AllDirectives {
  private final ApiAccess access;
  private final BillingAdminRoutes billing;

  public BillingApiRoutes(ApiAccess access, BillingAdminRoutes billing) {
    this.access = access;
    this.billing = billing;
  }

  public Route routes(Caller caller) {
    return access.operation(caller, ApiOperation.START_CHECKOUT, match ->
        entity(Jackson.unmarshaller(Json.MAPPER, BillingService.CheckoutRequest.class),
            request -> billing.checkout(caller.orgId(), request)));
  }
}
