package io.layercake.http.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentBundleSchema;
import io.layercake.runtime.agent.AgentImporter;
import io.layercake.runtime.agent.ChannelBinding;
import io.layercake.runtime.credits.Organizations;
import java.util.List;
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
  private final AgentImporter importer;
  private final Organizations organizations;
  private final long maxBundleBytes;
  private final AgentBundleSchema schema = AgentBundleSchema.bundled();

  public AgentImportRoutes(AgentImporter importer, Organizations organizations, long maxBundleBytes) {
    this.importer = importer;
    this.organizations = organizations;
    this.maxBundleBytes = maxBundleBytes;
  }

  /** The bundle after its shape was checked; agent fields as in {@code AgentConfig}. */
  public record BundleBody(
      String bundleId, AgentAdminRoutes.AgentBody agent, List<AgentImporter.Document> documents,
      List<ChannelBinding> channelBindings) {}

  public Route publicRoutes() {
    return pathPrefix("schemas", () -> path("agent-config.json", () -> get(() ->
        complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, schema.text())))));
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
    List<String> violations = schema.problems(json);
    if (!violations.isEmpty()) {
      return invalid("the bundle does not match agent-config.json: " + String.join("; ", violations));
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

}
