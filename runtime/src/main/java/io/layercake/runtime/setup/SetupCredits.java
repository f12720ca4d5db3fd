package io.layercake.runtime.setup;

import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** How a setup turn pays: reserve before the model runs, commit what it cost, release when it did not answer. */
public interface SetupCredits {
  CompletionStage<OrgEntity.Reply> reserve(String orgId, String reservationId, long amount, String setupId);

  CompletionStage<OrgEntity.Reply> commit(String orgId, String reservationId, long cost, List<CostLine> breakdown);

  CompletionStage<OrgEntity.Reply> release(String orgId, String reservationId);

  /** The organizations' own credits, through their entities. */
  static SetupCredits of(Organizations organizations) {
    return new SetupCredits() {
      @Override
      public CompletionStage<OrgEntity.Reply> reserve(String orgId, String reservationId, long amount, String setupId) {
        return organizations.reserve(orgId, reservationId, amount, setupId, SetupEntity.AGENT_ID);
      }

      @Override
      public CompletionStage<OrgEntity.Reply> commit(String orgId, String reservationId, long cost, List<CostLine> breakdown) {
        return organizations.commit(orgId, reservationId, cost, breakdown);
      }

      @Override
      public CompletionStage<OrgEntity.Reply> release(String orgId, String reservationId) {
        return organizations.release(orgId, reservationId);
      }
    };
  }
}
