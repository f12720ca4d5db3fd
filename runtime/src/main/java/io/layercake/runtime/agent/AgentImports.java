package io.layercake.runtime.agent;

import io.layercake.runtime.knowledge.StoredDocument;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Storage of imported bundles, their documents and channel bindings (a port; persistence implements it). */
public interface AgentImports {
  CompletionStage<Optional<ImportResult>> find(String orgId, String bundleId);

  /** Bindings among {@code bindings} that another agent already holds. */
  CompletionStage<List<ChannelBinding>> takenByOthers(String agentId, List<ChannelBinding> bindings);

  /**
   * Stores the documents, the bindings and the import record in one transaction. If the bundle was
   * imported meanwhile, stores nothing and returns the earlier import.
   */
  CompletionStage<ImportResult> store(
      String orgId, String bundleId, String agentId, List<StoredDocument> documents, List<ChannelBinding> bindings);

  /** A channel address that another agent took between the check and the write. */
  final class BindingTaken extends RuntimeException {
    public BindingTaken(ChannelBinding binding) {
      super(binding.channel() + " " + binding.address() + " already answers for another agent");
    }
  }

  /** What an import created; {@code created} is false when the bundle had been imported before. */
  record ImportResult(String bundleId, String agentId, List<String> documentIds, boolean created) {}
}
