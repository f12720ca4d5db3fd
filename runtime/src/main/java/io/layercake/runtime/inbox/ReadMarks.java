package io.layercake.runtime.inbox;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** How far each person has read each conversation, counted in messages: more messages since means unread. */
public interface ReadMarks {

  /** Records that the person has seen the first {@code messageCount} messages (never moves back). */
  CompletionStage<Void> seen(String userId, String sessionId, long messageCount);

  /** Messages seen per conversation; a conversation never opened is missing. */
  CompletionStage<Map<String, Long>> seen(String userId, Collection<String> sessionIds);
}
