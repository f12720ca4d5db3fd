package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Who of an organization's own people hears that a conversation waits for a person (the hand-off
 * and its reminder). None chosen: every member whose role reads conversations. The agency's
 * people hear of their clients' hand-offs as their own choices say, whatever a client chose.
 */
public interface HandoffContacts {
  /** The types only the chosen people of the organization hear of. */
  Set<String> TYPES = Set.of("conversation.handed_off", "conversation.handoff_unanswered");

  CompletionStage<List<String>> of(String orgId);

  /** Replaces the organization's choice with {@code userIds} (empty: everyone again). */
  CompletionStage<List<String>> choose(String orgId, List<String> userIds, String by, Instant at);
}
