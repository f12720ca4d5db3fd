package io.layercake.runtime.inbox;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Which person of the team looks after a conversation (a port; persistence implements it). */
public interface Assignments {

  /** Gives the conversation to the person, instead of whoever had it. */
  CompletionStage<Assignment> assign(String sessionId, String orgId, String userId, String assignedBy);

  /** True when the conversation had someone. */
  CompletionStage<Boolean> unassign(String sessionId);

  /** The assignments of those conversations that have one. */
  CompletionStage<Map<String, Assignment>> of(Collection<String> sessionIds);

  record Assignment(String sessionId, String orgId, String userId, String assignedBy, Instant assignedAt) {}
}
