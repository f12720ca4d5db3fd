package io.layercake.runtime.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class TenantsTest {
  private final Map<String, OrgDirectory.OrgEntry> entries = Map.of(
      "acme", new OrgDirectory.OrgEntry("acme", "Acme", "agency", null, Instant.EPOCH),
      "plumber", new OrgDirectory.OrgEntry("plumber", "Plumber", "pro", "acme", Instant.EPOCH));
  private final OrgDirectory directory = new OrgDirectory() {
    @Override
    public CompletionStage<Optional<OrgEntry>> find(String orgId) {
      return CompletableFuture.completedFuture(Optional.ofNullable(entries.get(orgId)));
    }

    @Override
    public CompletionStage<List<OrgEntry>> children(String parentOrgId) {
      return CompletableFuture.completedFuture(List.of());
    }
  };

  @Test
  void aClientCountsAgainstItsAgencyOnceItsEntryIsReadAndAnOrganizationWithoutParentAgainstItself() {
    Tenants tenants = new Tenants(directory, Runnable::run);
    assertThat(tenants.of("plumber")).as("not read yet: its own").isEqualTo("plumber");
    assertThat(tenants.of("plumber")).isEqualTo("acme");
    tenants.of("acme");
    assertThat(tenants.of("acme")).isEqualTo("acme");
    tenants.of("unknown");
    assertThat(tenants.of("unknown")).isEqualTo("unknown");
  }
}
