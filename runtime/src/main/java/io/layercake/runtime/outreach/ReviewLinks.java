package io.layercake.runtime.outreach;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The review requests sent: their tracked links, once per customer per period, and how often they were followed. */
public interface ReviewLinks {
  /** See {@link OutreachPolicy#claimReview}. */
  CompletionStage<Optional<String>> claim(OutreachPolicy.ReviewClaim claim);

  /** A tracked link followed: where it leads (counted), or empty for an unknown token. */
  CompletionStage<Optional<String>> follow(String token, Instant at);

  /** Requests sent and followed per organization since {@code since}, for the organizations asked about. */
  CompletionStage<List<Rate>> rates(List<String> orgIds, Instant since);

  /** {@code clicked}: requests whose link was followed at least once. */
  record Rate(String orgId, long sent, long clicked) {
    public double clickRate() {
      return sent == 0 ? 0 : (double) clicked / sent;
    }
  }
}
