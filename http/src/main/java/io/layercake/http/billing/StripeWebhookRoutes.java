package io.layercake.http.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.layercake.config.BillingSettings;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/stripe}: the {@code Stripe-Signature} header is verified by stripe-java with
 * the endpoint secret over the raw body (a bad signature or a stale timestamp is a 400 and nothing
 * is applied), then the event is applied once. A failure to apply answers 503, so Stripe retries.
 */
public final class StripeWebhookRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(StripeWebhookRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BillingSettings settings;
  private final StripeEvents events;

  public StripeWebhookRoutes(BillingSettings settings, StripeEvents events) {
    this.settings = settings;
    this.events = events;
  }

  public Route routes() {
    return pathPrefix("webhooks", () -> path("stripe", () -> post(() -> {
      if (settings.stripeWebhookSecret().isEmpty()) {
        return complete(ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "stripe_not_configured",
            "the Stripe webhook secret is not configured"));
      }
      return optionalHeaderValueByName("Stripe-Signature", signature -> entity(Unmarshaller.entityToByteString(), body -> {
        String payload = body.decodeString(StandardCharsets.UTF_8);
        try {
          Webhook.Signature.verifyHeader(payload, signature.orElse(""), settings.stripeWebhookSecret().reveal(),
              settings.webhookTolerance().toSeconds());
        } catch (SignatureVerificationException e) {
          return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_signature",
              "Stripe-Signature is missing, does not match the body, or is too old"));
        }
        JsonNode event;
        try {
          event = JSON.readTree(payload);
        } catch (IOException e) {
          return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not JSON"));
        }
        return onComplete(events.apply(event), result -> {
          if (result.isSuccess()) {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("status", result.get().outcome().name().toLowerCase(java.util.Locale.ROOT));
            if (result.get().reason() != null) {
              answer.put("reason", result.get().reason());
            }
            return complete(StatusCodes.OK, answer, Json.marshaller());
          }
          log.warn("Stripe event {} could not be applied; Stripe will retry: {}", event.path("id").asText(), result.failed().get().toString());
          return complete(ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
              "the event could not be applied now; it is safe to retry"));
        });
      }));
    })));
  }
}
