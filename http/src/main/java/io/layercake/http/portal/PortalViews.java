package io.layercake.http.portal;

import io.layercake.config.PortalSettings;
import io.layercake.http.portal.PortalApiRoutes.BrandingView;
import io.layercake.http.portal.PortalApiRoutes.DomainView;
import io.layercake.http.portal.PortalApiRoutes.OpeningView;
import io.layercake.http.portal.PortalApiRoutes.PortalView;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.User;
import io.layercake.runtime.portal.Branding;
import io.layercake.runtime.portal.Portal;
import io.layercake.runtime.portal.PortalDomain;
import io.layercake.runtime.portal.Portals;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A client's portal as the agency sees it, for its API and its page: the address, branding,
 * images, custom domains with their TXT records, whether white label is allowed, and who of the
 * agency opened it.
 */
public final class PortalViews {
  private static final int OPENINGS = 20;

  private final Portals portals;
  private final PortalDomains domains;
  private final OrgDirectory directory;
  private final People people;
  private final PortalSettings settings;
  private final Supplier<String> baseUrl;
  private final Executor executor;

  public PortalViews(Portals portals, PortalDomains domains, OrgDirectory directory, People people, PortalSettings settings,
      Supplier<String> baseUrl, Executor executor) {
    this.portals = portals;
    this.domains = domains;
    this.directory = directory;
    this.people = people;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.executor = executor;
  }

  /** The portal of {@code clientOrgId} when it is a client of {@code agencyOrgId}; empty otherwise. */
  public CompletionStage<Optional<PortalView>> ofClient(String agencyOrgId, String clientOrgId) {
    return directory.find(clientOrgId).thenComposeAsync(client -> client.isPresent() && agencyOrgId.equals(client.get().parentOrgId())
        ? portals.of(clientOrgId).thenComposeAsync(portal -> portal.isPresent()
            ? view(portal.get()).thenApply(Optional::of)
            : CompletableFuture.completedFuture(Optional.<PortalView>empty()), executor)
        : CompletableFuture.completedFuture(Optional.<PortalView>empty()), executor);
  }

  public CompletionStage<PortalView> view(Portal portal) {
    CompletableFuture<List<PortalDomain>> known = domains.of(portal.orgId()).toCompletableFuture();
    CompletableFuture<Boolean> allowed = whiteLabelAllowed(portal.orgId()).toCompletableFuture();
    CompletableFuture<List<OpeningView>> openings = portals.openings(portal.orgId(), OPENINGS).thenComposeAsync(list -> {
      List<CompletableFuture<OpeningView>> named = list.stream().map(opening -> people.find(opening.userId())
          .thenApply(user -> new OpeningView(opening.userId(), user.map(User::name).orElse(opening.userId()), opening.openedAt()))
          .toCompletableFuture()).toList();
      return CompletableFuture.allOf(named.toArray(CompletableFuture[]::new)).thenApply(done -> named.stream().map(CompletableFuture::join).toList());
    }, executor).toCompletableFuture();
    return CompletableFuture.allOf(known, allowed, openings).thenApplyAsync(done -> {
      Branding branding = portal.branding();
      String url = url(portal);
      return new PortalView(portal.orgId(), portal.slug(), url, portal.enabled(),
          new BrandingView(branding.name(), branding.primaryColor(), branding.accentColor(), branding.supportEmail(), branding.supportPhone(),
              branding.poweredBy()),
          allowed.join(), portal.logoTag().map(tag -> url + "logo?v=" + tag).orElse(null),
          portal.faviconTag().map(tag -> url + "favicon?v=" + tag).orElse(null),
          known.join().stream().map(PortalViews::domainView).toList(), openings.join());
    }, executor);
  }

  static DomainView domainView(PortalDomain domain) {
    return new DomainView(domain.host(), domain.verified() ? "verified" : "pending", "TXT", domain.recordName(), domain.recordValue(),
        domain.addedAt(), domain.checkedAt(), domain.verifiedAt(), domain.problem(), "https://" + domain.host() + "/");
  }

  CompletionStage<Boolean> whiteLabelAllowed(String clientOrgId) {
    return PortalPages.agencyTier(directory, clientOrgId).thenApply(tier -> tier.map(settings.whiteLabelTiers()::contains).orElse(false));
  }

  String url(Portal portal) {
    return baseUrl.get() + portal.path();
  }
}
