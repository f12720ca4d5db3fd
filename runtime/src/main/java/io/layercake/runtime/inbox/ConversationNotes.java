package io.layercake.runtime.inbox;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the team writes to itself about a conversation. Notes live beside the conversation, never in
 * it: no channel, model or customer ever sees them.
 */
public interface ConversationNotes {

  CompletionStage<Note> add(String sessionId, String orgId, String authorUserId, String author, String text);

  /** Oldest first. */
  CompletionStage<List<Note>> of(String sessionId);

  /** {@code authorUserId} is null when an API key wrote the note. */
  record Note(String noteId, String sessionId, String orgId, String authorUserId, String author, String text, Instant createdAt) {}
}
