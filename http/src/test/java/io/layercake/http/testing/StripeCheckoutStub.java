package io.layercake.http.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe on 127.0.0.1 as a browser meets it: the API creates customers and Checkout Sessions (form
 * encoded, as Stripe Java sends them) whose {@code url} is this stub's hosted payment page; opening
 * that page "pays": the stub sends the signed {@code checkout.session.completed} webhook, carrying
 * the session's metadata, to the node, and sends the browser on to the session's {@code success_url}.
 */
public final class StripeCheckoutStub implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String webhookSecret;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<String, Map<String, String>> sessions = new ConcurrentHashMap<>();
  private final StubProvider server;
  private volatile HttpTestClient node;

  private StripeCheckoutStub(String webhookSecret) {
    this.webhookSecret = webhookSecret;
    this.server = StubProvider.start(this::answer);
  }

  public static StripeCheckoutStub start(String webhookSecret) {
    return new StripeCheckoutStub(webhookSecret);
  }

  /** Where the webhooks go; until this is called the payment page cannot complete a payment. */
  public void deliverTo(InetSocketAddress nodeAddress) {
    node = HttpTestClient.to(nodeAddress);
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public List<StubProvider.Request> requestsTo(String pathPrefix) {
    return server.requestsTo(pathPrefix);
  }

  /** Stripe's scheme: {@code t=<seconds>,v1=<hex HMAC-SHA256 of "t.payload" with the endpoint secret>}. */
  public static String signature(String payload, String secret, long timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private StubProvider.Response answer(StubProvider.Request request) {
    int id = ids.incrementAndGet();
    if (request.path().startsWith("/v1/customers")) {
      return StubProvider.Response.json(200, "{\"id\":\"cus_" + id + "\",\"object\":\"customer\"}");
    }
    if (request.path().startsWith("/v1/checkout/sessions")) {
      String sessionId = "cs_test_" + id;
      sessions.put(sessionId, form(request.body()));
      return StubProvider.Response.json(200, "{\"id\":\"" + sessionId + "\",\"object\":\"checkout.session\",\"url\":\""
          + baseUrl() + "/pay/" + sessionId + "\"}");
    }
    if (request.method().equals("GET") && request.path().startsWith("/pay/")) {
      return pay(request.path().substring("/pay/".length()));
    }
    return StubProvider.Response.json(404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}");
  }

  private StubProvider.Response pay(String sessionId) {
    Map<String, String> session = sessions.get(sessionId);
    if (session == null || node == null) {
      return StubProvider.Response.json(404, "{\"error\":{\"message\":\"No such checkout session\"}}");
    }
    ObjectNode completed = JSON.createObjectNode().put("id", sessionId).put("object", "checkout.session")
        .put("mode", session.get("mode")).put("status", "complete").put("payment_status", "paid")
        .put("customer", session.get("customer")).put("client_reference_id", session.get("client_reference_id"));
    if ("subscription".equals(session.get("mode"))) {
      completed.put("subscription", "sub_" + sessionId);
    }
    ObjectNode metadata = completed.putObject("metadata");
    session.forEach((key, value) -> {
      if (key.startsWith("metadata[")) {
        metadata.put(key.substring("metadata[".length(), key.length() - 1), value);
      }
    });
    Instant now = Instant.now();
    ObjectNode event = JSON.createObjectNode().put("id", "evt_" + sessionId).put("object", "event")
        .put("api_version", "2025-03-31.basil").put("created", now.getEpochSecond()).put("livemode", false)
        .put("type", "checkout.session.completed");
    event.putObject("data").set("object", completed);
    String payload = event.toString();
    HttpTestClient.Response delivered = node.post("/webhooks/stripe", payload.getBytes(StandardCharsets.UTF_8),
        Map.of("Stripe-Signature", signature(payload, webhookSecret, now.getEpochSecond())));
    if (delivered.status() != 200) {
      return StubProvider.Response.json(502, "{\"error\":{\"message\":\"the webhook was refused: " + delivered.status() + "\"}}");
    }
    return new StubProvider.Response(303, "", Map.of("Location", session.get("success_url")));
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        fields.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  @Override
  public void close() {
    server.close();
  }
}
