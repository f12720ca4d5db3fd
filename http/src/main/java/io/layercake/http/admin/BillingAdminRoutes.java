package io.layercake.http.admin;

import io.layercake.http.billing.BillingService;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.providers.StripeGateway;
import io.layercake.http.server.Json;
import io.layercake.runtime.billing.BillingRecords;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Billing for operators: start a Stripe Checkout (a tier, a credit pack, an SMS number), the SMS
 * numbers on offer with our price, an organization's billing state, and disconnecting platform SMS.
 */
public final class BillingAdminRoutes extends AllDirectives {
  private final BillingService billing;
  private final BillingRecords records;

  public BillingAdminRoutes(BillingService billing, BillingRecords records) {
    this.billing = billing;
    this.records = records;
  }

  public Route routes() {
    return concat(
        path("sms-number-offers", () -> get(() -> parameter("country", country ->
            country.matches("[A-Za-z]{2}")
                ? answer(billing.offers(country.toUpperCase(java.util.Locale.ROOT)).thenApply(offers -> Map.of("offers", offers)))
                : complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "country is a two-letter code"))))),
        pathPrefix("organizations", () -> pathPrefix(orgId -> concat(
            path("billing", () -> get(() -> answer(records.subscriptions(orgId).thenCombine(records.numbers(orgId),
                (subscriptions, numbers) -> {
                  Map<String, Object> view = new LinkedHashMap<>();
                  view.put("subscriptions", subscriptions);
                  view.put("smsNumbers", numbers);
                  return view;
                }).thenCombine(records.customer(orgId), (view, customer) -> {
                  view.put("stripeCustomer", customer.orElse(null));
                  return view;
                })))),
            pathPrefix("billing", () -> path("checkout", () -> post(() -> entity(
                Jackson.unmarshaller(Json.MAPPER, BillingService.CheckoutRequest.class),
                request -> checkout(orgId, request))))),
            pathPrefix("channels", () -> path("sms", () -> delete(() -> answer(billing.disconnectSms(orgId)
                .thenApply(cancelled -> Map.of("cancelledNumbers", cancelled))))))))));
  }

  /** Starts a Checkout for the organization (the operator's route and the API's). */
  public Route checkout(String orgId, BillingService.CheckoutRequest request) {
    return answer(billing.checkout(orgId, request).thenApply(checkout -> Map.of(
        "sessionId", checkout.sessionId(), "url", checkout.url() == null ? "" : checkout.url())));
  }

  private Route answer(CompletionStage<?> result) {
    return onComplete(result, done -> {
      if (done.isSuccess()) {
        return complete(StatusCodes.OK, done.get(), Json.marshaller());
      }
      Throwable failure = done.failed().get() instanceof CompletionException wrapped && wrapped.getCause() != null
          ? wrapped.getCause() : done.failed().get();
      if (failure instanceof BillingService.BillingRefusal refusal) {
        return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", refusal.getMessage()));
      }
      if (failure instanceof StripeGateway.StripeFailure stripe) {
        return complete(ErrorHandling.response(StatusCodes.BAD_GATEWAY, "stripe_error", "Stripe refused: " + stripe.getMessage()));
      }
      return complete(ErrorHandling.response(StatusCodes.BAD_GATEWAY, "provider_unavailable",
          "a payment or number provider could not be reached; try again"));
    });
  }
}
