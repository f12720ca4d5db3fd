package io.layercake.persistence.access;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.access.OrgDirectory;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Reads {@code organizations}. */
public final class JdbcOrgDirectory implements OrgDirectory {
  private final ApplicationDatabase database;

  public JdbcOrgDirectory(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Optional<OrgEntry>> find(String orgId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT * FROM organizations WHERE org_id = ?")) {
        select.setString(1, orgId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(entry(rows)) : Optional.<OrgEntry>empty();
        }
      }
    });
  }

  @Override
  public CompletionStage<List<OrgEntry>> children(String parentOrgId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT * FROM organizations WHERE parent_org_id = ? ORDER BY opened_at, org_id")) {
        select.setString(1, parentOrgId);
        List<OrgEntry> children = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            children.add(entry(rows));
          }
        }
        return children;
      }
    });
  }

  private static OrgEntry entry(ResultSet rows) throws SQLException {
    return new OrgEntry(rows.getString("org_id"), rows.getString("name"), rows.getString("tier"), rows.getString("parent_org_id"),
        rows.getTimestamp("opened_at").toInstant());
  }
}
