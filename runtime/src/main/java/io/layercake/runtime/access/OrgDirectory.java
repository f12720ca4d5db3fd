package io.layercake.runtime.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Organizations and their parents, from the organization directory read model. */
public interface OrgDirectory {
  CompletionStage<Optional<OrgEntry>> find(String orgId);

  CompletionStage<List<OrgEntry>> children(String parentOrgId);

  record OrgEntry(String orgId, String name, String tier, String parentOrgId, Instant openedAt) {}
}
