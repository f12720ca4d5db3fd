package io.layercake.persistence.inbox;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.people.Tokens;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** Canned replies in {@code canned_replies}. */
public final class JdbcCannedReplies implements CannedReplies {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcCannedReplies(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<CannedReply> add(String orgId, String title, String text, String createdBy) {
    CannedReply reply = new CannedReply(Tokens.id("reply_"), orgId, title, text, createdBy, clock.instant());
    return database.write(connection -> {
      update(connection, "INSERT INTO canned_replies (reply_id, org_id, title, text, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
          reply.replyId(), orgId, title, text, createdBy, reply.createdAt());
      return reply;
    });
  }

  @Override
  public CompletionStage<List<CannedReply>> of(List<String> orgIds) {
    if (orgIds.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    String in = orgIds.stream().map(id -> "?").collect(Collectors.joining(", "));
    return database.read(connection -> query(connection,
        "SELECT * FROM canned_replies WHERE org_id IN (" + in + ") ORDER BY title, reply_id",
        rows -> new CannedReply(rows.getString("reply_id"), rows.getString("org_id"), rows.getString("title"), rows.getString("text"),
            rows.getString("created_by"), instant(rows, "created_at")), orgIds.toArray()));
  }

  @Override
  public CompletionStage<Boolean> delete(String orgId, String replyId) {
    return database.write(connection -> update(connection, "DELETE FROM canned_replies WHERE org_id = ? AND reply_id = ?",
        orgId, replyId) > 0);
  }
}
