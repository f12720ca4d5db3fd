package io.layercake.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Tiers, credit packs and costs: the price list, as data. */
public record Catalog(String currency, Map<String, Tier> tiers, Map<String, CreditPack> creditPacks, Costs costs) {
  public Catalog {
    tiers = Map.copyOf(tiers);
    creditPacks = Map.copyOf(creditPacks);
  }

  public Optional<Tier> tier(String id) {
    return Optional.ofNullable(tiers.get(id));
  }

  public Optional<CreditPack> creditPack(String id) {
    return Optional.ofNullable(creditPacks.get(id));
  }

  /** Credit packs from the smallest to the largest. */
  public List<CreditPack> creditPacksBySize() {
    return creditPacks.values().stream()
        .sorted(java.util.Comparator.comparingLong(CreditPack::credits))
        .toList();
  }
}
