package io.layercake.http.portal;

import io.layercake.runtime.portal.PortalDomain;
import io.layercake.runtime.portal.Portals;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Custom domains proven by DNS: the agency adds a host, publishes the TXT record we name, and asks
 * us to check; a host whose record we saw is the client's portal on every node from then on.
 */
public final class PortalDomains {
  private static final Logger log = LoggerFactory.getLogger(PortalDomains.class);

  private final Portals portals;
  private final DnsTxtRecords dns;
  private final PortalHosts hosts;
  private final Clock clock;
  private final Executor executor;

  public PortalDomains(Portals portals, DnsTxtRecords dns, PortalHosts hosts, Clock clock, Executor executor) {
    this.portals = portals;
    this.dns = dns;
    this.hosts = hosts;
    this.clock = clock;
    this.executor = executor;
  }

  /** Looks for the domain's TXT record now and records what was found. */
  public CompletionStage<PortalDomain> verify(PortalDomain domain) {
    return dns.lookUp(domain.recordName())
        .handleAsync((values, failure) -> {
          if (failure != null) {
            return "the DNS lookup failed: " + rootMessage(failure);
          }
          if (values.contains(domain.recordValue())) {
            return null;
          }
          return values.isEmpty()
              ? "no TXT record at " + domain.recordName() + " yet (DNS changes can take a while to show)"
              : "the TXT record at " + domain.recordName() + " does not hold " + domain.recordValue();
        }, executor)
        .thenComposeAsync(problem -> portals.checked(domain.host(), clock.instant(), problem == null, problem), executor)
        .thenApplyAsync(checked -> {
          if (checked.verified()) {
            hosts.learn(checked.host(), checked.orgId());
            log.info("Custom domain {} verified for org {}", checked.host(), checked.orgId());
          }
          return checked;
        }, executor);
  }

  public CompletionStage<Boolean> remove(String orgId, String host) {
    return portals.removeDomain(orgId, host).thenApplyAsync(removed -> {
      if (removed) {
        hosts.forget(host);
      }
      return removed;
    }, executor);
  }

  public CompletionStage<List<PortalDomain>> of(String orgId) {
    return portals.domains(orgId);
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
