package io.layercake.runtime.outreach;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a conversation asks about the messages it starts: its organization's {@link OutreachSettings},
 * the agent's follow-up sequences, and whether a customer may be asked for a review again.
 */
public interface OutreachPolicy {
  /** No quiet hours, no templates, no sequences, no review requests: what an organization that set nothing has. */
  OutreachPolicy NONE = orgId -> CompletableFuture.completedFuture(OutreachSettings.NONE);

  CompletionStage<OutreachSettings> of(String orgId);

  /** The agent's follow-up sequences. */
  default CompletionStage<List<FollowupSequence>> sequences(String orgId, String agentId) {
    return CompletableFuture.completedFuture(List.of());
  }

  /**
   * Records the review request {@code claim} and answers its tracked link, or empty when the customer
   * was asked within the period already. The same request id answers the same link again.
   */
  default CompletionStage<Optional<String>> claimReview(ReviewClaim claim) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  /** A review request about to go to {@code contact} of {@code orgId}; {@code link}: where its tracked link leads. */
  record ReviewClaim(String requestId, String orgId, String agentId, String sessionId, String channel, String contact,
      String link, int periodDays, Instant at) {}
}
