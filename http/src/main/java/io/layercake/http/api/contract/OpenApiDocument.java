package io.layercake.http.api.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layercake.http.errors.ApiError;
import io.layercake.runtime.access.Scopes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The OpenAPI 3.0 document of {@code /api/v1}, written from {@link ApiOperation}: every operation
 * with its readable id, tag, scope, parameters, typed request and response schemas, every status it
 * answers with, and the one error shape.
 */
public final class OpenApiDocument {
  private static final String ERROR = "#/components/schemas/Error";

  private OpenApiDocument() {}

  public static ObjectNode build(ObjectMapper mapper, String version) {
    JsonSchemas.Components named = new JsonSchemas.Components();
    JsonSchemas answers = named.answers(mapper);
    JsonSchemas requests = named.requests(mapper);
    ObjectNode document = mapper.createObjectNode().put("openapi", "3.0.3");
    document.putObject("info")
        .put("title", "Layercake API")
        .put("version", version)
        .put("description", "The API of agency dashboards: conversations, agents, knowledge, channels, credits and webhooks. "
            + "Authenticate with an API key or a portal token (`Authorization: Bearer <key or token>`), or as a person "
            + "signed in by email link (the `layercake_session` cookie; a change also sends `X-CSRF-Token`, and "
            + "`Layercake-Organization` chooses the organization to act in). Each operation names the scope it needs "
            + "(`x-scope`): a key has the scopes it was given, a person those of their role. A caller sees its "
            + "organization and its clients (sub-organizations); anything else answers 404. "
            + "Errors are always `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`: the code is stable for programs, "
            + "the message is for people.");
    document.putArray("servers").addObject().put("url", "/api/v1");
    ArrayNode security = document.putArray("security");
    security.addObject().putArray("apiKey");
    security.addObject().putArray("session");
    ArrayNode tags = document.putArray("tags");
    for (ApiTag tag : ApiTag.values()) {
      tags.addObject().put("name", tag.title()).put("description", tag.description());
    }
    // answers first: a type used both ways keeps its plain name for what clients read, and FooInput for what they send
    for (ApiOperation operation : ApiOperation.values()) {
      operation.response().filter(type -> operation.responseMediaType().equals("application/json")).ifPresent(answers::schema);
    }
    ObjectNode paths = document.putObject("paths");
    for (ApiOperation operation : ApiOperation.values()) {
      ObjectNode path = paths.has(operation.path().text())
          ? (ObjectNode) paths.get(operation.path().text())
          : paths.putObject(operation.path().text());
      path.set(operation.method().toLowerCase(java.util.Locale.ROOT), operation(mapper, answers, requests, operation));
    }
    ObjectNode components = document.putObject("components");
    ObjectNode schemes = components.putObject("securitySchemes");
    schemes.putObject("apiKey")
        .put("type", "http").put("scheme", "bearer")
        .put("description", "An API key (scopes: " + new TreeSet<>(Scopes.ALL) + "), or a portal token from POST /auth/token");
    schemes.putObject("session")
        .put("type", "apiKey").put("in", "cookie").put("name", "layercake_session")
        .put("description", "The session of a person signed in by email link (POST /auth/email-link)");
    ObjectNode componentSchemas = components.putObject("schemas");
    componentSchemas.set("Error", errorSchema(mapper));
    named.schemas().forEach(componentSchemas::set);
    return document;
  }

  private static ObjectNode operation(ObjectMapper mapper, JsonSchemas schemas, JsonSchemas requests, ApiOperation operation) {
    ObjectNode node = mapper.createObjectNode();
    node.put("operationId", operation.id()).put("summary", operation.summary());
    operation.description().ifPresent(description -> node.put("description", description));
    node.putArray("tags").add(operation.tag().title());
    operation.scope().ifPresent(scope -> node.put("x-scope", scope));
    if (operation.isPublic()) {
      node.putArray("security");
    }
    ArrayNode parameters = mapper.createArrayNode();
    for (String variable : operation.path().variables()) {
      parameters.addObject().put("name", variable).put("in", "path").put("required", true)
          .putObject("schema").put("type", "string");
    }
    for (QueryParameter query : operation.query()) {
      ObjectNode parameter = parameters.addObject().put("name", query.name()).put("in", "query")
          .put("required", query.required()).put("description", query.description());
      ObjectNode schema = parameter.putObject("schema").put("type", query.type());
      if (query.format() != null) {
        schema.put("format", query.format());
      }
      if (!query.values().isEmpty()) {
        ArrayNode values = schema.putArray("enum");
        query.values().forEach(values::add);
      }
    }
    if (operation.idempotent()) {
      parameters.addObject().put("name", "Idempotency-Key").put("in", "header").put("required", false)
          .put("description", "Any unique string (a UUID): a repeat of the same request with it within 24 hours gets the "
              + "first answer again (with Idempotent-Replayed: true) instead of creating twice; with another request: 422")
          .putObject("schema").put("type", "string").put("maxLength", 255);
    }
    if (!parameters.isEmpty()) {
      node.set("parameters", parameters);
    }
    operation.requestBody().ifPresent(body -> {
      ObjectNode content = node.putObject("requestBody").put("required", true).putObject("content");
      ObjectNode json = content.putObject("application/json");
      json.set("schema", requests.schema(body));
      operation.requestExample().ifPresent(example -> json.set("example", parse(mapper, example)));
      if (operation.acceptsUploads()) {
        content.putObject("application/octet-stream").putObject("schema").put("type", "string").put("format", "binary");
      }
    });
    if (operation.requestBody().isEmpty() && !operation.binaryBodyTypes().isEmpty()) {
      ObjectNode content = node.putObject("requestBody").put("required", true).putObject("content");
      operation.binaryBodyTypes().forEach(type -> content.putObject(type).putObject("schema").put("type", "string").put("format", "binary"));
    }
    ObjectNode responses = node.putObject("responses");
    ObjectNode success = responses.putObject(Integer.toString(operation.successStatus()))
        .put("description", StatusCodes.get(operation.successStatus()).reason());
    operation.response().ifPresent(type -> {
      ObjectNode content = success.putObject("content");
      if (operation.responseMediaType().equals("application/json")) {
        ObjectNode json = content.putObject("application/json");
        json.set("schema", schemas.schema(type));
        operation.answerExample().ifPresent(example -> json.set("example", parse(mapper, example)));
      } else if (operation.responseMediaType().equals("text/event-stream")) {
        content.putObject("text/event-stream").putObject("schema").put("type", "string")
            .put("description", "Server-sent events whose data is " + schemas.schema(type).path("$ref").asText());
      } else {
        content.putObject(operation.responseMediaType()).putObject("schema").put("type", "string");
      }
    });
    for (int other : operation.otherSuccessStatuses()) {
      responses.set(Integer.toString(other), success.deepCopy().put("description", StatusCodes.get(other).reason()
          + (other == 202 ? ": the work goes on in the background; read the resource to follow it" : "")));
    }
    if (operation.cached()) {
      success.putObject("headers").putObject("ETag").put("description", "Send it back as If-None-Match")
          .putObject("schema").put("type", "string");
      responses.putObject("304").put("description", "Not modified: nothing changed since the ETag you sent");
    }
    for (int status : operation.errorStatuses()) {
      ObjectNode error = responses.putObject(Integer.toString(status)).put("description", StatusCodes.get(status).reason());
      ObjectNode json = error.putObject("content").putObject("application/json");
      json.putObject("schema").put("$ref", ERROR);
      json.set("example", mapper.valueToTree(ApiError.of(ApiError.codeFor(StatusCodes.get(status)), example(status))));
    }
    return node;
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(ObjectMapper mapper, String json) {
    try {
      return mapper.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("an operation's example is not JSON: " + json, e);
    }
  }

  private static String example(int status) {
    Map<Integer, String> examples = new LinkedHashMap<>();
    examples.put(400, "limit must be a number from 1 to 100");
    examples.put(401, "an API key is required: Authorization: Bearer <key>");
    examples.put(403, "this key lacks the scope conversations:write");
    examples.put(404, "no conversation wa_123");
    examples.put(409, "a request with this Idempotency-Key is still running; retry in a moment");
    examples.put(413, "The request body is larger than 10 MB.");
    examples.put(415, "The request body must be application/json.");
    examples.put(422, "this Idempotency-Key was used with a different request; use a new key for a new request");
    examples.put(429, "at most 20 messages a minute in one conversation; try again in 3 s");
    examples.put(502, "a payment or number provider could not be reached; try again");
    return examples.getOrDefault(status, StatusCodes.get(status).reason());
  }

  private static ObjectNode errorSchema(ObjectMapper mapper) {
    ObjectNode schema = mapper.createObjectNode().put("type", "object")
        .put("description", "Every error: a stable code for programs and a message for people.");
    schema.putArray("required").add("error");
    ObjectNode body = schema.putObject("properties").putObject("error").put("type", "object");
    body.putArray("required").add("code").add("message");
    ObjectNode properties = body.putObject("properties");
    properties.putObject("code").put("type", "string").put("example", "not_found");
    properties.putObject("message").put("type", "string").put("example", "no conversation wa_123");
    return schema;
  }
}
