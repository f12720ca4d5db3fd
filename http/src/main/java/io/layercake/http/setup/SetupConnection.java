package io.layercake.http.setup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.admin.AgentImportRoutes;
import io.layercake.http.server.Json;
import io.layercake.runtime.agent.AgentBundleSchema;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentImporter;
import io.layercake.runtime.agent.ChannelBinding;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.setup.SetupFiles;
import io.layercake.runtime.setup.SetupState;
import io.layercake.runtime.setup.Setups;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Connect: the setup's files become an agent. {@code agent-config.json} is checked against the
 * published schema, the {@code kb/} files become documents tagged with the agent's knowledge tags
 * and their topic, and the bundle is imported under an id derived from the files' content — so
 * connecting twice changes nothing, and connecting after an edit updates the agent, saves the new
 * documents and removes the ones the previous connect saved.
 */
public final class SetupConnection {
  private final Setups setups;
  private final AgentImporter importer;
  private final KnowledgeDocuments documents;
  private final Clock clock;
  private final Executor executor;

  public SetupConnection(Setups setups, AgentImporter importer, KnowledgeDocuments documents, Clock clock, Executor executor) {
    this.setups = setups;
    this.importer = importer;
    this.documents = documents;
    this.clock = clock;
    this.executor = executor;
  }

  /** What connect did, or why it refused (then it changed nothing). */
  public sealed interface Outcome {}

  public record Connected(
      String agentId, String bundleId, boolean changed, List<String> documentIds, List<String> removedDocumentIds,
      List<ChannelBinding> channelBindings) implements Outcome {}

  public record Refused(boolean conflict, String message) implements Outcome {}

  /** The setup's files read as a bundle; {@code problems} when they are not one yet. */
  record Draft(AgentImporter.Bundle bundle, List<String> problems) {
    static Draft refused(String problem) {
      return new Draft(null, List.of(problem));
    }
  }

  public CompletionStage<Outcome> connect(String setupId, SetupState state, String by) {
    Draft draft = draft(setupId, state);
    if (!draft.problems().isEmpty()) {
      return CompletableFuture.completedFuture(new Refused(false, String.join("; ", draft.problems())));
    }
    AgentImporter.Bundle bundle = draft.bundle();
    SetupState.Connection previous = state.connection();
    if (previous != null && previous.bundleId().equals(bundle.bundleId())) {
      return CompletableFuture.completedFuture(new Connected(previous.agentId(), previous.bundleId(), false,
          previous.documentIds(), List.of(), bundle.bindings()));
    }
    return importer.connect(bundle, by).thenComposeAsync(outcome -> {
      if (outcome instanceof AgentImporter.Refused refused) {
        return CompletableFuture.completedFuture(new Refused(refused.conflict(), String.join("; ", refused.problems())));
      }
      var result = ((AgentImporter.Imported) outcome).result();
      List<String> stale = previous == null ? List.of()
          : previous.documentIds().stream().filter(id -> !result.documentIds().contains(id)).toList();
      return deleteAll(documents, bundle.agent().orgId(), stale, executor)
          .thenComposeAsync(removed -> setups.recordConnection(setupId,
              new SetupState.Connection(result.agentId(), result.bundleId(), result.documentIds(), clock.instant())), executor)
          .thenApplyAsync(recorded -> (Outcome) new Connected(result.agentId(), result.bundleId(), true, result.documentIds(),
              stale, bundle.bindings()), executor);
    }, executor);
  }

  /** The setup's files as a bundle (the test chat imports it as its test agent), or why they are not one yet. */
  static Draft draft(String setupId, SetupState state) {
    var config = state.current(SetupFiles.CONFIG);
    if (config.isEmpty()) {
      return Draft.refused("agent-config.json is still empty: answer a few questions first");
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(config.get().content());
    } catch (JsonProcessingException e) {
      return Draft.refused("agent-config.json is not JSON: " + e.getOriginalMessage());
    }
    List<String> violations = AgentBundleSchema.bundled().problems(json);
    if (!violations.isEmpty()) {
      return Draft.refused("agent-config.json does not match the schema: " + String.join("; ", violations));
    }
    AgentImportRoutes.BundleBody body;
    try {
      body = Json.MAPPER.treeToValue(json, AgentImportRoutes.BundleBody.class);
    } catch (JsonProcessingException e) {
      return Draft.refused("agent-config.json could not be read: " + e.getOriginalMessage());
    }
    AgentConfig agent = body.agent().config(state.orgId());
    List<AgentImporter.Document> files = new ArrayList<>(body.documents() == null ? List.of() : body.documents());
    for (SetupFiles.Document document : SetupFiles.documents()) {
      state.current(document.path()).filter(file -> !file.content().isBlank()).ifPresent(file -> {
        List<String> tags = new ArrayList<>(agent.knowledgeTags());
        tags.add(document.topic());
        files.add(new AgentImporter.Document(document.title(), tags, file.content()));
      });
    }
    String bundleId = "setup-" + setupId + "-" + fingerprint(config.get().content(), files);
    return new Draft(new AgentImporter.Bundle(bundleId, body.agent().agentId(), agent, files, body.channelBindings()), List.of());
  }

  /** Deletes the documents one after the other. */
  static CompletionStage<Void> deleteAll(KnowledgeDocuments documents, String orgId, List<String> documentIds, Executor executor) {
    CompletionStage<Void> all = CompletableFuture.completedFuture(null);
    for (String documentId : documentIds) {
      all = all.thenComposeAsync(ignored -> documents.delete(orgId, documentId).thenApply(deleted -> null), executor);
    }
    return all;
  }

  private static String fingerprint(String config, List<AgentImporter.Document> documents) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(config.getBytes(StandardCharsets.UTF_8));
      for (AgentImporter.Document document : documents) {
        digest.update((document.title() + "\n" + document.tags() + "\n" + document.markdown() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
