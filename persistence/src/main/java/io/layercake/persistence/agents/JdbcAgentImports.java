package io.layercake.persistence.agents;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.agent.AgentImports;
import io.layercake.runtime.agent.ChannelBinding;
import io.layercake.runtime.knowledge.StoredDocument;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Agent-config imports, their documents and channel bindings, written in one transaction. */
public final class JdbcAgentImports implements AgentImports {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcAgentImports(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Optional<ImportResult>> find(String orgId, String bundleId) {
    return database.read(connection -> existing(connection, orgId, bundleId));
  }

  @Override
  public CompletionStage<List<ChannelBinding>> takenByOthers(String agentId, List<ChannelBinding> bindings) {
    return database.read(connection -> {
      List<ChannelBinding> taken = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT agent_id FROM channel_bindings WHERE channel = ? AND address = ?")) {
        for (ChannelBinding binding : bindings) {
          select.setString(1, binding.channel());
          select.setString(2, binding.address());
          try (ResultSet rows = select.executeQuery()) {
            if (rows.next() && !rows.getString(1).equals(agentId)) {
              taken.add(binding);
            }
          }
        }
      }
      return taken;
    });
  }

  /**
   * A concurrent import of the same bundle loses on the primary key of {@code agent_imports}: its
   * transaction rolls back and it answers with the import that won.
   */
  @Override
  public CompletionStage<ImportResult> store(
      String orgId, String bundleId, String agentId, List<StoredDocument> documents, List<ChannelBinding> bindings) {
    return write(orgId, bundleId, agentId, documents, bindings).exceptionallyCompose(failure -> {
      Throwable cause = Stages.cause(failure);
      if (cause.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return find(orgId, bundleId).thenApply(existing -> existing.orElseThrow(() -> new IllegalStateException(cause)));
      }
      return java.util.concurrent.CompletableFuture.failedFuture(cause);
    });
  }

  private static final String UNIQUE_VIOLATION = "23505";

  private CompletionStage<ImportResult> write(
      String orgId, String bundleId, String agentId, List<StoredDocument> documents, List<ChannelBinding> bindings) {
    return database.write(connection -> {
      Optional<ImportResult> earlier = existing(connection, orgId, bundleId);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      Timestamp now = Timestamp.from(clock.instant());
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO knowledge_documents (document_id, org_id, title, tags, mime_type, status, failure_reason, size_bytes,"
              + " created_at, updated_at, text_content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (StoredDocument document : documents) {
          insert.setString(1, document.documentId());
          insert.setString(2, orgId);
          insert.setString(3, document.title());
          insert.setString(4, String.join(",", document.tags()));
          insert.setString(5, document.mimeType());
          insert.setString(6, document.status().name());
          insert.setString(7, document.failureReason());
          insert.setLong(8, document.sizeBytes());
          insert.setTimestamp(9, now);
          insert.setTimestamp(10, now);
          insert.setString(11, document.text());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (PreparedStatement bind = connection.prepareStatement(
          "INSERT INTO channel_bindings (channel, address, org_id, agent_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
        for (ChannelBinding binding : bindings) {
          if (!bound(connection, binding, agentId)) {
            bind.setString(1, binding.channel());
            bind.setString(2, binding.address());
            bind.setString(3, orgId);
            bind.setString(4, agentId);
            bind.setTimestamp(5, now);
            bind.addBatch();
          }
        }
        bind.executeBatch();
      }
      List<String> documentIds = documents.stream().map(StoredDocument::documentId).toList();
      try (PreparedStatement record = connection.prepareStatement(
          "INSERT INTO agent_imports (org_id, bundle_id, agent_id, document_ids, created_at) VALUES (?, ?, ?, ?, ?)")) {
        record.setString(1, orgId);
        record.setString(2, bundleId);
        record.setString(3, agentId);
        record.setString(4, String.join(",", documentIds));
        record.setTimestamp(5, now);
        record.executeUpdate();
      }
      return new ImportResult(bundleId, agentId, documentIds, true);
    });
  }

  private static boolean bound(Connection connection, ChannelBinding binding, String agentId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT agent_id FROM channel_bindings WHERE channel = ? AND address = ?")) {
      select.setString(1, binding.channel());
      select.setString(2, binding.address());
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return false;
        }
        if (!rows.getString(1).equals(agentId)) {
          throw new AgentImports.BindingTaken(binding);
        }
        return true;
      }
    }
  }

  private static Optional<ImportResult> existing(Connection connection, String orgId, String bundleId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT agent_id, document_ids FROM agent_imports WHERE org_id = ? AND bundle_id = ?")) {
      select.setString(1, orgId);
      select.setString(2, bundleId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        String ids = rows.getString(2);
        return Optional.of(new ImportResult(
            bundleId, rows.getString(1), ids.isEmpty() ? List.of() : Arrays.asList(ids.split(",")), false));
      }
    }
  }
}
