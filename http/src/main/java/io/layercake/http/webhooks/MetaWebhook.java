package io.layercake.http.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.config.ChannelSettings;
import io.layercake.http.errors.ErrorHandling;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The two halves every webhook of our Meta app shares (WhatsApp, Instagram): the verification
 * handshake, and notifications whose {@code X-Hub-Signature-256} is checked on the raw bytes before
 * anything is parsed. The answer is 200 only once what the notification carried is stored (Meta
 * retries anything else, and a repeat is harmless).
 */
final class MetaWebhook extends AllDirectives {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChannelSettings.WhatsApp app;
  private final String product;

  /** {@code product}: how errors name it ("WhatsApp", "Instagram"). */
  MetaWebhook(ChannelSettings.WhatsApp app, String product) {
    this.app = app;
    this.product = product;
  }

  Route verify() {
    return parameterOptional("hub.mode", mode -> parameterOptional("hub.verify_token", token ->
        parameterOptional("hub.challenge", challenge -> {
          boolean valid = mode.filter("subscribe"::equals).isPresent()
              && app.verifyToken().matches(token.orElse(null))
              && challenge.filter(value -> !value.isBlank() && value.length() <= 256).isPresent();
          if (!valid) {
            return complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "verification_failed",
                "hub.mode must be subscribe and hub.verify_token must match the configured token"));
          }
          return complete(HttpResponse.create().withStatus(StatusCodes.OK)
              .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, challenge.get())));
        })));
  }

  /** A signed notification, parsed and handed to {@code apply}; 200 once what it returns completes. */
  Route receive(Function<JsonNode, CompletionStage<Void>> apply) {
    if (app.appSecret().isEmpty()) {
      return complete(ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, product.toLowerCase(java.util.Locale.ROOT) + "_not_configured",
          "the Meta app secret is not configured"));
    }
    return optionalHeaderValueByName("X-Hub-Signature-256", signature ->
        entity(Unmarshaller.entityToByteString(), body -> {
          byte[] bytes = body.toArray();
          if (!HubSignature.valid(app.appSecret(), bytes, signature.orElse(null))) {
            return complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "invalid_signature",
                "X-Hub-Signature-256 is missing or does not match the body"));
          }
          JsonNode json;
          try {
            json = JSON.readTree(bytes);
          } catch (IOException e) {
            return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not JSON"));
          }
          if (json == null || !json.isObject()) {
            return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "malformed_json", "the body is not a JSON object"));
          }
          return onComplete(apply.apply(json), result -> result.isSuccess()
              ? complete(StatusCodes.OK, Map.of("status", "received"), io.layercake.http.server.Json.marshaller())
              : complete(ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "unavailable",
                  "the notification could not be stored; it is safe to retry")));
        }));
  }
}
