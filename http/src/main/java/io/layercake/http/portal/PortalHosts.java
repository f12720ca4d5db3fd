package io.layercake.http.portal;

import io.layercake.runtime.portal.Portals;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verified custom domains, held in memory so that a request's {@code Host} is looked up without
 * a query: reloaded every {@code refresh} on every node, and changed at once on the node that
 * verifies or removes a domain.
 */
public final class PortalHosts {
  private static final Logger log = LoggerFactory.getLogger(PortalHosts.class);

  private final Portals portals;
  private final Map<String, String> clientByHost = new ConcurrentHashMap<>();

  private PortalHosts(Portals portals) {
    this.portals = portals;
  }

  public static PortalHosts start(ActorSystem<?> system, Portals portals, Duration refresh) {
    PortalHosts hosts = new PortalHosts(portals);
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, refresh, hosts::reload, system.executionContext());
    return hosts;
  }

  /** The client whose portal this host is, when it is a verified custom domain. */
  public Optional<String> clientOf(String host) {
    return Optional.ofNullable(clientByHost.get(host));
  }

  void learn(String host, String orgId) {
    clientByHost.put(host, orgId);
  }

  void forget(String host) {
    clientByHost.remove(host);
  }

  private void reload() {
    portals.verifiedHosts().whenComplete((hosts, failure) -> {
      if (failure != null) {
        log.warn("Could not reload the portals' custom domains; keeping the {} known", clientByHost.size(), failure);
        return;
      }
      clientByHost.keySet().retainAll(hosts.keySet());
      clientByHost.putAll(hosts);
    });
  }
}
