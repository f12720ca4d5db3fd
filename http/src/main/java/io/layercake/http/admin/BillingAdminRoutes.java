package io.layercake.http.admin;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.http.billing.BillingService;
import io.layercake.http.billing.IgnoredStripeEvents;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.providers.StripeGateway;
import io.layercake.http.server.CreditAmount;
import io.layercake.http.server.Json;
import io.layercake.runtime.billing.BillingRecords;
import io.layercake.runtime.billing.BillingRecords.ProcessedEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Billing for operators: start a Stripe Checkout (a tier, a credit pack, an SMS number), the SMS
 * numbers on offer with our price, an organization's billing state, disconnecting platform SMS,
 * and the Stripe events that were ignored (with why), one of which an operator may apply to an
 * organization ({@code GET /admin/billing/events?status=ignored},
 * {@code POST /admin/billing/events/{eventId}/apply}).
 */
public final class BillingAdminRoutes extends AllDirectives {
  private static final int EVENTS_SHOWN = 200;
  private static final int MAX_ID = 128;

  private final BillingService billing;
  private final BillingRecords records;
  private final IgnoredStripeEvents ignored;

  public BillingAdminRoutes(BillingService billing, BillingRecords records, IgnoredStripeEvents ignored) {
    this.billing = billing;
    this.records = records;
    this.ignored = ignored;
  }

  /** The body of {@code POST /admin/billing/events/{eventId}/apply}: whose credits, how many, and who decided. */
  /** A started Checkout: send the buyer to {@code url}. */
  public record CheckoutView(String sessionId, String url) {}

  public record ApplyEvent(String organizationId, CreditAmount credits, String appliedBy) {}

  public Route routes() {
    return concat(
        pathPrefix("billing", () -> pathPrefix("events", () -> concat(
            pathEnd(() -> get(() -> parameterOptional("status", status -> {
              String wanted = status.orElse(ProcessedEvent.IGNORED);
              return wanted.equals(ProcessedEvent.IGNORED) || wanted.equals(ProcessedEvent.APPLIED)
                  ? answer(ignored.list(wanted, EVENTS_SHOWN).thenApply(events -> Map.of("events", events)))
                  : invalid("status is ignored or applied");
            }))),
            pathPrefix(eventId -> path("apply", () -> post(() -> entity(
                Jackson.unmarshaller(Json.MAPPER, ApplyEvent.class), body -> apply(eventId, body)))))))),
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
    return answer(billing.checkout(orgId, request).thenApply(checkout ->
        new CheckoutView(checkout.sessionId(), checkout.url() == null ? "" : checkout.url())));
  }

  private Route apply(String eventId, ApplyEvent body) {
    if (body.organizationId() == null || body.organizationId().isBlank()) {
      return invalid("organizationId is required: the organization the credits go to");
    }
    if (body.appliedBy() == null || body.appliedBy().isBlank() || body.appliedBy().length() > MAX_ID) {
      return invalid("appliedBy is required: who applies the event (1 to " + MAX_ID
          + " characters), kept with the event");
    }
    CreditAmount.Checked credits = CreditAmount.check("credits", body.credits(), 1);
    if (!credits.ok()) {
      return complete(credits.refusal());
    }
    return onSuccess(ignored.applyAsPurchase(eventId, body.organizationId(), credits.value(), body.appliedBy().strip()),
        this::answer);
  }

  private Route answer(IgnoredStripeEvents.Applied applied) {
    if (applied instanceof IgnoredStripeEvents.Applied.Done done) {
      return complete(StatusCodes.OK, done.event(), Json.marshaller());
    }
    if (applied instanceof IgnoredStripeEvents.Applied.NotFound missing) {
      return complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "event_not_found", missing.message()));
    }
    if (applied instanceof IgnoredStripeEvents.Applied.Conflict conflict) {
      return complete(ErrorHandling.response(StatusCodes.CONFLICT, "conflict", conflict.message()));
    }
    return invalid(((IgnoredStripeEvents.Applied.Invalid) applied).message());
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }

  private Route answer(CompletionStage<?> result) {
    return onComplete(result, done -> {
      if (done.isSuccess()) {
        return complete(StatusCodes.OK, done.get(), Json.marshaller());
      }
      Throwable failure = Stages.cause(done.failed().get());
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
