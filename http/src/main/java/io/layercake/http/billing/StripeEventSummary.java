package io.layercake.http.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What an operator needs to see, and Layercake to apply later, of an ignored event's object: its
 * ids, what was paid, who paid, and its metadata, bounded in size (never the whole object: it
 * carries addresses and line items nobody needs here).
 */
final class StripeEventSummary {
  private static final List<String> FIELDS = List.of("id", "object", "mode", "status", "payment_status", "amount_total",
      "amount_paid", "currency", "customer", "customer_email", "client_reference_id", "payment_link", "subscription",
      "billing_reason");
  private static final int METADATA_KEYS = 10;
  private static final int TEXT = 150;

  private StripeEventSummary() {}

  static String of(JsonNode object) {
    ObjectNode summary = JsonNodeFactory.instance.objectNode();
    for (String field : FIELDS) {
      JsonNode value = object.path(field);
      if (value.isValueNode() && !value.isNull()) {
        summary.set(field, value.isTextual() ? JsonNodeFactory.instance.textNode(clip(value.asText())) : value);
      }
    }
    JsonNode email = object.path("customer_details").path("email");
    if (email.isTextual()) {
      summary.put("customer_email", clip(email.asText()));
    }
    ObjectNode metadata = summary.putObject("metadata");
    Iterator<Map.Entry<String, JsonNode>> entries = object.path("metadata").fields();
    for (int kept = 0; entries.hasNext() && kept < METADATA_KEYS; kept++) {
      Map.Entry<String, JsonNode> entry = entries.next();
      metadata.put(clip(entry.getKey()), clip(entry.getValue().asText()));
    }
    return summary.toString();
  }

  private static String clip(String text) {
    return text.length() <= TEXT ? text : text.substring(0, TEXT) + "…";
  }
}
