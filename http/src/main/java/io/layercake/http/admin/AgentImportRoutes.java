package io.layercake.http.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentImporter;
import io.layercake.runtime.agent.ChannelBinding;
import io.layercake.runtime.credits.Organizations;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * {@code POST /admin/organizations/{orgId}/agent-imports} takes an {@code agent-config.json} bundle,
 * checked against its published JSON Schema ({@code GET /schemas/agent-config.json}) before
 * anything is created.
 */
public final class AgentImportRoutes extends AllDirectives {
  public static final String SCHEMA_RESOURCE = "schemas/agent-config.schema.json";

  private final AgentImporter importer;
  private final Organizations organizations;
  private final long maxBundleBytes;
  private final String schemaText;
  private final JsonSchema schema;

  public AgentImportRoutes(AgentImporter importer, Organizations organizations, long maxBundleBytes) {
    this.importer = importer;
    this.organizations = organizations;
    this.maxBundleBytes = maxBundleBytes;
    this.schemaText = schemaText();
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText);
  }

  /** The bundle after its shape was checked; agent fields as in {@code AgentConfig}. */
  public record BundleBody(
      String bundleId, AgentAdminRoutes.AgentBody agent, List<AgentImporter.Document> documents,
      List<ChannelBinding> channelBindings) {}

  public Route publicRoutes() {
    return pathPrefix("schemas", () -> path("agent-config.json", () -> get(() ->
        complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, schemaText)))));
  }

  public Route routes() {
    return pathPrefix("organizations", () -> pathPrefix(orgId -> path("agent-imports", () -> post(() -> importInto(orgId)))));
  }

  /** Reads the request's bundle and imports it into the organization: 201 created, 200 when that bundle was imported before. */
  public Route importInto(String orgId) {
    return withSizeLimit(maxBundleBytes, () -> entity(Unmarshaller.entityToString(), body -> importBundle(orgId, body)));
  }

  private Route importBundle(String orgId, String body) {
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return invalid("the bundle is not JSON: " + e.getOriginalMessage());
    }
    Set<ValidationMessage> violations = schema.validate(json);
    if (!violations.isEmpty()) {
      return invalid("the bundle does not match agent-config.json: "
          + String.join("; ", violations.stream().map(ValidationMessage::getMessage).sorted().toList()));
    }
    BundleBody bundle;
    try {
      bundle = Json.MAPPER.treeToValue(json, BundleBody.class);
    } catch (JsonProcessingException e) {
      return invalid("the bundle could not be read: " + e.getOriginalMessage());
    }
    AgentImporter.Bundle toImport = new AgentImporter.Bundle(
        bundle.bundleId(), bundle.agent().agentId(), bundle.agent().config(orgId), bundle.documents(), bundle.channelBindings());
    return onSuccess(organizations.exists(orgId), exists -> !exists
        ? complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "organization_not_found", "organization " + orgId + " does not exist"))
        : onSuccess(importer.importBundle(toImport), outcome -> {
            if (outcome instanceof AgentImporter.Imported imported) {
              return complete(imported.result().created() ? StatusCodes.CREATED : StatusCodes.OK, imported.result(), Json.marshaller());
            }
            AgentImporter.Refused refused = (AgentImporter.Refused) outcome;
            return complete(ErrorHandling.response(
                refused.conflict() ? StatusCodes.CONFLICT : StatusCodes.BAD_REQUEST,
                refused.conflict() ? "conflict" : "invalid_bundle", String.join("; ", refused.problems())));
          }));
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_bundle", message));
  }

  private static String schemaText() {
    try (InputStream in = AgentImportRoutes.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
