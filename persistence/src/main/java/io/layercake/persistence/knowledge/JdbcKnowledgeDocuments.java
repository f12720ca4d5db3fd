package io.layercake.persistence.knowledge;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.knowledge.StoredDocument;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The knowledge library in the {@code knowledge_documents} table. A background extraction records
 * its progress at least every tenth of the document; one that has not for {@link #INTERRUPTED}
 * was cut off (its node stopped) and reads as failed.
 */
public final class JdbcKnowledgeDocuments implements KnowledgeDocuments {
  static final java.time.Duration INTERRUPTED = java.time.Duration.ofMinutes(10);
  private static final String COLUMNS =
      "document_id, org_id, title, tags, mime_type, status, failure_reason, size_bytes, created_at, updated_at, extracted_percent";

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcKnowledgeDocuments(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<StoredDocument> save(StoredDocument document) {
    return database.write(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO knowledge_documents (" + COLUMNS + ", text_content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, document.documentId());
        insert.setString(2, document.orgId());
        insert.setString(3, document.title());
        insert.setString(4, String.join(",", document.tags()));
        insert.setString(5, document.mimeType());
        insert.setString(6, document.status().name());
        insert.setString(7, document.failureReason());
        insert.setLong(8, document.sizeBytes());
        insert.setTimestamp(9, Timestamp.from(document.createdAt()));
        insert.setTimestamp(10, Timestamp.from(document.updatedAt()));
        insert.setObject(11, document.extractedPercent(), java.sql.Types.INTEGER);
        insert.setString(12, document.text());
        insert.executeUpdate();
      }
      return document;
    });
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> finishExtraction(StoredDocument document) {
    return database.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE knowledge_documents SET status = ?, failure_reason = ?,"
          + " text_content = ?, updated_at = ?, extracted_percent = NULL WHERE org_id = ? AND document_id = ? AND status = 'EXTRACTING'")) {
        update.setString(1, document.status().name());
        update.setString(2, document.failureReason());
        update.setString(3, document.text());
        update.setTimestamp(4, Timestamp.from(document.updatedAt()));
        update.setString(5, document.orgId());
        update.setString(6, document.documentId());
        return update.executeUpdate() == 0 ? Optional.<StoredDocument>empty() : Optional.of(document);
      }
    });
  }

  @Override
  public CompletionStage<Void> extractionProgress(String orgId, String documentId, int percent) {
    return database.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE knowledge_documents SET extracted_percent = ?, updated_at = ?"
          + " WHERE org_id = ? AND document_id = ? AND status = 'EXTRACTING' AND extracted_percent < ?")) {
        update.setInt(1, percent);
        update.setTimestamp(2, Timestamp.from(clock.instant()));
        update.setString(3, orgId);
        update.setString(4, documentId);
        update.setInt(5, percent);
        update.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public CompletionStage<List<StoredDocument>> list(String orgId) {
    return database.read(connection -> query(connection,
        "SELECT " + COLUMNS + " FROM knowledge_documents WHERE org_id = ? ORDER BY updated_at DESC, document_id",
        false, orgId));
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> get(String orgId, String documentId) {
    return database.read(connection -> query(connection,
        "SELECT " + COLUMNS + ", text_content FROM knowledge_documents WHERE org_id = ? AND document_id = ?",
        true, orgId, documentId).stream().findFirst());
  }

  @Override
  public CompletionStage<List<KnowledgeDocument>> readyForPrompts(String orgId) {
    return database.read(connection -> query(connection,
        "SELECT " + COLUMNS + ", text_content FROM knowledge_documents WHERE org_id = ? AND status = 'READY'"
            + " ORDER BY updated_at DESC, document_id",
        true, orgId).stream().map(StoredDocument::knowledge).toList());
  }

  @Override
  public CompletionStage<Optional<StoredDocument>> updateTags(String orgId, String documentId, List<String> tags) {
    return database.write(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE knowledge_documents SET tags = ?, updated_at = ? WHERE org_id = ? AND document_id = ?")) {
        update.setString(1, String.join(",", tags));
        update.setTimestamp(2, Timestamp.from(clock.instant()));
        update.setString(3, orgId);
        update.setString(4, documentId);
        if (update.executeUpdate() == 0) {
          return Optional.<StoredDocument>empty();
        }
      }
      return query(connection, "SELECT " + COLUMNS + " FROM knowledge_documents WHERE org_id = ? AND document_id = ?",
          false, orgId, documentId).stream().findFirst();
    });
  }

  @Override
  public CompletionStage<Boolean> delete(String orgId, String documentId) {
    return database.write(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM knowledge_documents WHERE org_id = ? AND document_id = ?")) {
        delete.setString(1, orgId);
        delete.setString(2, documentId);
        return delete.executeUpdate() > 0;
      }
    });
  }

  private List<StoredDocument> query(Connection connection, String sql, boolean withText, String... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        List<StoredDocument> documents = new ArrayList<>();
        while (rows.next()) {
          String tags = rows.getString("tags");
          StoredDocument.Status status = StoredDocument.Status.valueOf(rows.getString("status"));
          Instant updatedAt = rows.getTimestamp("updated_at").toInstant();
          int percent = rows.getInt("extracted_percent");
          Integer extractedPercent = rows.wasNull() ? null : percent;
          String failureReason = rows.getString("failure_reason");
          if (status == StoredDocument.Status.EXTRACTING && updatedAt.isBefore(clock.instant().minus(INTERRUPTED))) {
            status = StoredDocument.Status.FAILED;
            failureReason = "the extraction was interrupted (its node stopped); upload the document again";
            extractedPercent = null;
          }
          documents.add(new StoredDocument(
              rows.getString("document_id"), rows.getString("org_id"), rows.getString("title"),
              tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")), rows.getString("mime_type"),
              status, failureReason, rows.getLong("size_bytes"), withText ? rows.getString("text_content") : null,
              rows.getTimestamp("created_at").toInstant(), updatedAt, extractedPercent));
        }
        return documents;
      }
    }
  }
}
