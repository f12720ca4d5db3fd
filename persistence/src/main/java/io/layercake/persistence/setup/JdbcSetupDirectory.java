package io.layercake.persistence.setup;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.setup.SetupDirectory;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** Started setups in {@code setups}. */
public final class JdbcSetupDirectory implements SetupDirectory {
  private final ApplicationDatabase database;

  public JdbcSetupDirectory(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Void> started(String setupId, String orgId, String ownerName, Instant startedAt) {
    return database.write(connection -> {
      boolean known = !query(connection, "SELECT setup_id FROM setups WHERE setup_id = ?", rows -> rows.getString(1), setupId).isEmpty();
      if (!known) {
        update(connection, "INSERT INTO setups (setup_id, org_id, owner_name, started_at) VALUES (?, ?, ?, ?)",
            setupId, orgId, ownerName, startedAt);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Void> connected(String setupId, String agentId) {
    return database.write(connection -> {
      update(connection, "UPDATE setups SET agent_id = ? WHERE setup_id = ?", agentId, setupId);
      return null;
    });
  }

  @Override
  public CompletionStage<List<SetupEntry>> of(List<String> orgIds) {
    if (orgIds.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String in = orgIds.stream().map(id -> "?").collect(Collectors.joining(", "));
    return database.read(connection -> query(connection,
        "SELECT * FROM setups WHERE org_id IN (" + in + ") ORDER BY started_at DESC, setup_id",
        rows -> new SetupEntry(rows.getString("setup_id"), rows.getString("org_id"), rows.getString("owner_name"),
            instant(rows, "started_at"), rows.getString("agent_id")), orgIds.toArray()));
  }
}
