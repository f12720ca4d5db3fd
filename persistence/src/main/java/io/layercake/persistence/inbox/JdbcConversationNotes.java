package io.layercake.persistence.inbox;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.inbox.ConversationNotes;
import io.layercake.runtime.people.Tokens;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Notes in {@code conversation_notes}. */
public final class JdbcConversationNotes implements ConversationNotes {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcConversationNotes(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Note> add(String sessionId, String orgId, String authorUserId, String author, String text) {
    Note note = new Note(Tokens.id("note_"), sessionId, orgId, authorUserId, author, text, clock.instant());
    return database.write(connection -> {
      update(connection, "INSERT INTO conversation_notes (note_id, session_id, org_id, author_user_id, author, text, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)", note.noteId(), sessionId, orgId, authorUserId, author, text, note.createdAt());
      return note;
    });
  }

  @Override
  public CompletionStage<List<Note>> of(String sessionId) {
    return database.read(connection -> query(connection,
        "SELECT * FROM conversation_notes WHERE session_id = ? ORDER BY position",
        rows -> new Note(rows.getString("note_id"), rows.getString("session_id"), rows.getString("org_id"),
            rows.getString("author_user_id"), rows.getString("author"), rows.getString("text"), instant(rows, "created_at")),
        sessionId));
  }
}
