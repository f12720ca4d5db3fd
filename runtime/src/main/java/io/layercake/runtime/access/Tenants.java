package io.layercake.runtime.access;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Whose fair share an organization's work counts against: an agency's clients share their agency's,
 * an organization without a parent has its own. Answered at once from what is known; an organization
 * seen for the first time counts as its own until its directory entry is read (in the background).
 */
public final class Tenants {
  private final OrgDirectory directory;
  private final Executor executor;
  private final Map<String, String> known = new ConcurrentHashMap<>();

  public Tenants(OrgDirectory directory, Executor executor) {
    this.directory = directory;
    this.executor = executor;
  }

  public String of(String orgId) {
    String tenant = known.get(orgId);
    if (tenant != null) {
      return tenant;
    }
    directory.find(orgId).thenAcceptAsync(entry -> known.put(orgId,
        entry.map(OrgDirectory.OrgEntry::parentOrgId).filter(parent -> !parent.isBlank()).orElse(orgId)), executor);
    return orgId;
  }
}
