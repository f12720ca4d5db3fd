package io.layercake.http.app;

import io.layercake.config.Catalog;
import io.layercake.config.CreditPack;
import io.layercake.config.Tier;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What an organization can buy, priced from the catalog, and what to suggest when its credits are
 * gone: the smallest pack, and the cheapest plan whose monthly credits would have covered last month.
 */
public final class CreditWallAdvice {
  private final Catalog catalog;

  public CreditWallAdvice(Catalog catalog) {
    this.catalog = catalog;
  }

  public List<BillingView.Pack> packs() {
    return catalog.creditPacksBySize().stream().map(this::pack).toList();
  }

  /** The plans sold through Checkout, cheapest first. */
  public List<BillingView.Plan> plans(String currentTier) {
    return catalog.tiers().values().stream()
        .filter(tier -> tier.monthlyPriceCents() > 0)
        .sorted(Comparator.comparingLong(Tier::monthlyPriceCents))
        .map(tier -> plan(tier, currentTier))
        .toList();
  }

  /** The wall, when nothing is left to spend on a limited plan and there is a pack to buy. */
  public Optional<BillingView.CreditWall> wall(boolean unlimited, long available, long lastMonthUsed, String currentTier) {
    List<BillingView.Pack> packs = packs();
    if (unlimited || available > 0 || packs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new BillingView.CreditWall(lastMonthUsed, packs.get(0), coveringPlan(lastMonthUsed, currentTier)));
  }

  /** The cheapest plan sold through Checkout whose monthly credits would have covered {@code used}. */
  public Optional<BillingView.Plan> coveringPlan(long used, String currentTier) {
    return catalog.tiers().values().stream()
        .filter(tier -> tier.monthlyPriceCents() > 0 && !tier.unlimited() && tier.monthlyCredits().getAsLong() >= used)
        .min(Comparator.comparingLong(Tier::monthlyPriceCents))
        .map(tier -> plan(tier, currentTier));
  }

  private BillingView.Pack pack(CreditPack pack) {
    return new BillingView.Pack(pack.id(), pack.credits(), price(pack.priceCents()));
  }

  private BillingView.Plan plan(Tier tier, String currentTier) {
    return new BillingView.Plan(tier.id(), tier.unlimited() ? "unlimited" : String.valueOf(tier.monthlyCredits().getAsLong()),
        price(tier.monthlyPriceCents()) + " a month", tier.id().equals(currentTier));
  }

  private String price(long cents) {
    return BigDecimal.valueOf(cents, 2).toPlainString() + " " + catalog.currency();
  }
}
