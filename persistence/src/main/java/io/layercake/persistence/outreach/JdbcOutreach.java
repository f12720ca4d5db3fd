package io.layercake.persistence.outreach;

import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.FollowupSequences;
import io.layercake.runtime.outreach.OutreachPolicy;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.outreach.OutreachSettingsStore;
import io.layercake.runtime.outreach.ReviewLinks;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** What conversations ask about outreach, answered from the three stores that keep it. */
public record JdbcOutreach(OutreachSettingsStore settings, FollowupSequences sequences, ReviewLinks reviews) implements OutreachPolicy {
  @Override
  public CompletionStage<OutreachSettings> of(String orgId) {
    return settings.of(orgId);
  }

  @Override
  public CompletionStage<List<FollowupSequence>> sequences(String orgId, String agentId) {
    return sequences.sequences(orgId, agentId);
  }

  @Override
  public CompletionStage<Optional<String>> claimReview(ReviewClaim claim) {
    return reviews.claim(claim);
  }
}
