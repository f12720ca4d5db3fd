package io.layercake.http.portal;

import io.layercake.runtime.people.SignIn;
import io.layercake.runtime.portal.Portal;
import io.layercake.runtime.portal.PortalDomain;
import io.layercake.runtime.portal.Portals;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Where an email sends a client's people: its open portal, on the client's first verified domain
 * (behind the TLS proxy that custom domains need, see deploy/portal-domains), else on the platform's
 * address. A client whose portal is closed has none: its people use the agency's app.
 */
final class PortalAddresses implements SignIn.Places {
  private final Portals portals;
  private final Supplier<String> baseUrl;
  private final Executor executor;

  PortalAddresses(Portals portals, Supplier<String> baseUrl, Executor executor) {
    this.portals = portals;
    this.baseUrl = baseUrl;
    this.executor = executor;
  }

  @Override
  public CompletionStage<Optional<SignIn.Place>> of(String orgId) {
    return portals.of(orgId).thenComposeAsync(found -> found.filter(Portal::enabled)
        .map(portal -> portals.domains(orgId).thenApply(domains -> Optional.of(new SignIn.Place(portal.branding().name(),
            domains.stream().filter(PortalDomain::verified).min(Comparator.comparing(PortalDomain::verifiedAt))
                .map(domain -> "https://" + domain.host())
                .orElseGet(() -> baseUrl.get() + "/portal/" + portal.slug())))))
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())), executor);
  }
}
