package io.layercake.http.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.SettingsLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The credit wall's advice, from the shipped price list (reference.conf). */
class CreditWallAdviceTest {
  private final CreditWallAdvice advice = new CreditWallAdvice(SettingsLoader.load(Map.of()).catalog());

  @Test
  void anEmptyLimitedPoolMeetsTheWallWithTheSmallestPackAndThePlanThatWouldHaveCoveredLastMonth() {
    BillingView.CreditWall wall = advice.wall(false, 0, 150, "free").orElseThrow();

    assertThat(wall.cheapestPack()).isEqualTo(new BillingView.Pack("pack-100", 100, "19.00 EUR"));
    assertThat(wall.coveringPlan()).contains(new BillingView.Plan("pro", "200", "29.00 EUR a month", false));
    assertThat(advice.coveringPlan(201, "free").map(BillingView.Plan::id)).contains("agency");
    assertThat(advice.coveringPlan(2001, "free")).as("beyond every plan sold: ask for enterprise").isEmpty();
  }

  @Test
  void creditsLeftOrAnUnlimitedPlanMeanNoWall() {
    assertThat(advice.wall(false, 1, 150, "pro")).isEmpty();
    assertThat(advice.wall(true, 0, 150, "enterprise")).isEmpty();
  }

  @Test
  void thePlansOnSaleAreThoseWithAPriceCheapestFirstWithTheCurrentOneMarked() {
    assertThat(advice.plans("pro")).extracting(BillingView.Plan::id, BillingView.Plan::current)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("pro", true), org.assertj.core.groups.Tuple.tuple("agency", false));
    assertThat(advice.packs()).extracting(BillingView.Pack::credits).containsExactly(100L, 500L, 2000L, 10000L);
  }
}
