package io.layercake.config;

import java.time.Duration;
import java.util.Set;

/**
 * The clients' portals: where custom domains are verified, how soon every node learns of a newly
 * verified one, how big a logo and a favicon may be, and which agency tiers may hide the
 * "powered by" line (white label).
 *
 * @param dnsServer the DNS server ({@code host} or {@code host:port}) asked for verification TXT records; empty: the system's resolvers
 * @param hostsRefresh how often a node reloads the verified custom domains (the node that verifies one knows at once)
 * @param maxLogoBytes the largest logo accepted
 * @param maxFaviconBytes the largest favicon accepted
 * @param whiteLabelTiers the agency tiers whose clients' portals may leave out the "powered by" line
 */
public record PortalSettings(String dnsServer, Duration hostsRefresh, long maxLogoBytes, long maxFaviconBytes, Set<String> whiteLabelTiers) {

  public PortalSettings {
    whiteLabelTiers = Set.copyOf(whiteLabelTiers);
  }

  /** The defaults a node starts with, for tests that build settings by hand. */
  public static PortalSettings defaults() {
    return new PortalSettings("", Duration.ofSeconds(10), 256 * 1024, 64 * 1024, Set.of("agency", "enterprise"));
  }

  public PortalSettings withDnsServer(String other) {
    return new PortalSettings(other, hostsRefresh, maxLogoBytes, maxFaviconBytes, whiteLabelTiers);
  }
}
