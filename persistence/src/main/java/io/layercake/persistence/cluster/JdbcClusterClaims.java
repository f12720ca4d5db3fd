package io.layercake.persistence.cluster;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * Claims in {@code cluster_claims}: work that one node does once for the whole cluster. The
 * database's primary key decides between nodes that claim at the same moment.
 */
public final class JdbcClusterClaims {
  /** SQLSTATE of a unique or primary key violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcClusterClaims(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** True for the one claimant that got {@code claim}; false for every later one. */
  public CompletionStage<Boolean> claim(String claim, String claimant) {
    return database.write(connection -> {
      try {
        Statements.update(connection, "INSERT INTO cluster_claims (claim, claimed_by, claimed_at) VALUES (?, ?, ?)",
            claim, claimant, clock.instant());
        return true;
      } catch (SQLException e) {
        if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
          connection.rollback();
          return false;
        }
        throw e;
      }
    });
  }
}
