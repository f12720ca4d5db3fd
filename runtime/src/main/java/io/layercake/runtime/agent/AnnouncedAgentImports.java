package io.layercake.runtime.agent;

import io.layercake.runtime.knowledge.StoredDocument;
import io.layercake.runtime.reference.ReferenceData;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Imports that write documents and channel bindings past the cached ports: once stored, every node
 * forgets the organization's knowledge documents and the channel directory's entries.
 */
public final class AnnouncedAgentImports implements AgentImports {
  private final AgentImports imports;
  private final ReferenceData data;

  public AnnouncedAgentImports(AgentImports imports, ReferenceData data) {
    this.imports = imports;
    this.data = data;
  }

  @Override
  public CompletionStage<Optional<ImportResult>> find(String orgId, String bundleId) {
    return imports.find(orgId, bundleId);
  }

  @Override
  public CompletionStage<List<ChannelBinding>> takenByOthers(String agentId, List<ChannelBinding> bindings) {
    return imports.takenByOthers(agentId, bindings);
  }

  @Override
  public CompletionStage<ImportResult> store(
      String orgId, String bundleId, String agentId, List<StoredDocument> documents, List<ChannelBinding> bindings) {
    return imports.store(orgId, bundleId, agentId, documents, bindings).whenComplete((result, failure) -> {
      data.changed(ReferenceData.KNOWLEDGE, orgId);
      data.changed(ReferenceData.CHANNELS, null);
    });
  }
}
