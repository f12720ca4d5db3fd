package io.layercake.http.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON answer against a schema of the OpenAPI document: types, formats of times, enums,
 * required properties, and no property the schema does not name (an undocumented field is drift too).
 */
final class ResponseSchemas {
  private final JsonNode document;

  ResponseSchemas(JsonNode document) {
    this.document = document;
  }

  /** The schema of an operation's success answer. */
  JsonNode successSchema(String operationId) {
    return successContent(operationId).path("schema");
  }

  /** The JSON content of an operation's success answer (schema and example); missing for other answers. */
  JsonNode successContent(String operationId) {
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        if (operation.path("operationId").asText().equals(operationId)) {
          for (Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields(); responses.hasNext(); ) {
            Map.Entry<String, JsonNode> response = responses.next();
            if (response.getKey().startsWith("2")) {
              return response.getValue().path("content").path("application/json");
            }
          }
        }
      }
    }
    throw new IllegalArgumentException("no operation " + operationId);
  }

  /** The schema of an operation's JSON request body. */
  JsonNode requestSchema(String operationId) {
    for (JsonNode path : document.path("paths")) {
      for (JsonNode operation : path) {
        if (operation.path("operationId").asText().equals(operationId)) {
          return operation.path("requestBody").path("content").path("application/json").path("schema");
        }
      }
    }
    throw new IllegalArgumentException("no operation " + operationId);
  }

  /** What in {@code body} its schema does not allow. */
  List<String> problems(JsonNode schema, JsonNode body, String at) {
    List<String> problems = new ArrayList<>();
    check(body, schema, at, problems);
    return problems;
  }

  List<String> problems(String operationId, JsonNode answer) {
    List<String> problems = new ArrayList<>();
    check(answer, successSchema(operationId), operationId, problems);
    return problems;
  }

  private void check(JsonNode value, JsonNode schema, String at, List<String> problems) {
    if (schema.has("$ref")) {
      String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
      check(value, document.path("components").path("schemas").path(name), at, problems);
      return;
    }
    if (value.isNull()) {
      if (!schema.path("nullable").asBoolean(false)) {
        problems.add(at + ": null where the schema allows none");
      }
      return;
    }
    if (schema.has("allOf")) {
      schema.path("allOf").forEach(part -> check(value, part, at, problems));
      return;
    }
    switch (schema.path("type").asText("")) {
      case "string" -> {
        if (!value.isTextual()) {
          problems.add(at + ": " + value.getNodeType() + " where a string is documented");
        } else if (schema.has("enum") && !contains(schema.path("enum"), value.asText())) {
          problems.add(at + ": " + value.asText() + " is not among " + schema.path("enum"));
        } else if (schema.path("format").asText().equals("date-time") && !value.asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z")) {
          problems.add(at + ": " + value.asText() + " is not a date-time");
        }
      }
      case "integer" -> expect(value.isIntegralNumber(), value, "an integer", at, problems);
      case "number" -> expect(value.isNumber(), value, "a number", at, problems);
      case "boolean" -> expect(value.isBoolean(), value, "a boolean", at, problems);
      case "array" -> {
        expect(value.isArray(), value, "an array", at, problems);
        for (int i = 0; value.isArray() && i < value.size(); i++) {
          check(value.get(i), schema.path("items"), at + "[" + i + "]", problems);
        }
      }
      case "object" -> object(value, schema, at, problems);
      default -> {
        // documented as any JSON value
      }
    }
  }

  private static void expect(boolean holds, JsonNode value, String documented, String at, List<String> problems) {
    if (!holds) {
      problems.add(at + ": " + value.getNodeType() + " where " + documented + " is documented");
    }
  }

  private void object(JsonNode value, JsonNode schema, String at, List<String> problems) {
    if (!value.isObject()) {
      problems.add(at + ": " + value.getNodeType() + " where an object is documented");
      return;
    }
    if (schema.has("additionalProperties")) {
      value.fields().forEachRemaining(field ->
          check(field.getValue(), schema.path("additionalProperties"), at + "." + field.getKey(), problems));
      return;
    }
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        problems.add(at + ": the documented property " + required.asText() + " is missing");
      }
    }
    value.fields().forEachRemaining(field -> {
      JsonNode property = schema.path("properties").path(field.getKey());
      if (property.isMissingNode()) {
        problems.add(at + ": the property " + field.getKey() + " is not documented");
      } else {
        check(field.getValue(), property, at + "." + field.getKey(), problems);
      }
    });
  }

  private static boolean contains(JsonNode values, String value) {
    for (JsonNode candidate : values) {
      if (candidate.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
