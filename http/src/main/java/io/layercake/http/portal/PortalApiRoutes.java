package io.layercake.http.portal;

import io.layercake.config.PortalSettings;
import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.portal.Branding;
import io.layercake.runtime.portal.Portal;
import io.layercake.runtime.portal.PortalDomain;
import io.layercake.runtime.portal.PortalImage;
import io.layercake.runtime.portal.Portals;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The agency's side of its clients' portals under {@code /organizations/children/{childId}/portal}:
 * read it (with its address, custom domains and who of the agency opened it), change its slug,
 * branding and whether it is open, upload its logo and favicon, add, verify and remove custom domains.
 */
public final class PortalApiRoutes extends AllDirectives {
  private static final int OPENINGS = 20;

  private final ApiAccess access;
  private final Portals portals;
  private final PortalDomains domains;
  private final PortalViews views;
  private final OrgDirectory directory;
  private final PortalSettings settings;
  private final Supplier<String> baseUrl;
  private final Clock clock;

  public PortalApiRoutes(ApiAccess access, Portals portals, PortalDomains domains, PortalViews views, OrgDirectory directory,
      PortalSettings settings, Supplier<String> baseUrl, Clock clock) {
    this.access = access;
    this.portals = portals;
    this.domains = domains;
    this.views = views;
    this.directory = directory;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  public record BrandingView(String name, String primaryColor, String accentColor, String supportEmail, String supportPhone,
      boolean poweredBy) {}

  /** {@code status}: pending until the TXT record was seen, then verified. */
  public record DomainView(String host, String status, String recordType, String recordName, String recordValue, Instant addedAt,
      Instant checkedAt, Instant verifiedAt, String problem, String url) {}

  public record OpeningView(String userId, String name, Instant openedAt) {}

  public record PortalView(String orgId, String slug, String url, boolean enabled, BrandingView branding, boolean whiteLabelAllowed,
      String logoUrl, String faviconUrl, List<DomainView> domains, List<OpeningView> openedByAgency) {}

  /** Any field left out keeps its value. */
  public record PortalBody(String slug, Boolean enabled, String name, String primaryColor, String accentColor, String supportEmail,
      String supportPhone, Boolean poweredBy) {}

  public record DomainBody(String host) {}

  public record ImageSaved(String kind, String contentType, long bytes, String etag, String url) {}

  public record DomainRemoved(String host, String status) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.GET_CLIENT_PORTAL, match -> client(caller, match.variable("childId"), portal ->
            onSuccess(views.view(portal), view -> complete(StatusCodes.OK, view, Json.marshaller())))),
        access.operation(caller, ApiOperation.UPDATE_CLIENT_PORTAL, match -> client(caller, match.variable("childId"), portal ->
            entity(Jackson.unmarshaller(Json.MAPPER, PortalBody.class), body -> update(caller, portal, body)))),
        access.operation(caller, ApiOperation.UPLOAD_PORTAL_IMAGE, match -> client(caller, match.variable("childId"), portal ->
            PortalImage.Kind.parse(match.variable("kind"))
                .map(kind -> entity(Unmarshaller.entityToByteArray(), bytes -> upload(portal, kind, bytes)))
                .orElseGet(() -> ApiAccess.notFound("image " + match.variable("kind") + " (logo or favicon)")))),
        access.operation(caller, ApiOperation.ADD_PORTAL_DOMAIN, match -> client(caller, match.variable("childId"), portal ->
            entity(Jackson.unmarshaller(Json.MAPPER, DomainBody.class), body -> addDomain(portal, body)))),
        access.operation(caller, ApiOperation.VERIFY_PORTAL_DOMAIN, match -> client(caller, match.variable("childId"), portal ->
            onSuccess(portals.domain(match.variable("host")), found -> found.filter(domain -> domain.orgId().equals(portal.orgId()))
                .<Route>map(domain -> onSuccess(domains.verify(domain), checked -> complete(StatusCodes.OK, PortalViews.domainView(checked), Json.marshaller())))
                .orElseGet(() -> ApiAccess.notFound("domain " + match.variable("host")))))),
        access.operation(caller, ApiOperation.REMOVE_PORTAL_DOMAIN, match -> client(caller, match.variable("childId"), portal ->
            onSuccess(domains.remove(portal.orgId(), match.variable("host")), removed -> removed
                ? complete(StatusCodes.OK, new DomainRemoved(match.variable("host"), "removed"), Json.marshaller())
                : ApiAccess.notFound("domain " + match.variable("host"))))));
  }

  /** The portal of one of the caller's clients; anyone else's is as good as none. */
  private Route client(Caller caller, String childId, java.util.function.Function<Portal, Route> inner) {
    return onSuccess(directory.find(childId), found -> found.isPresent() && caller.orgId().equals(found.get().parentOrgId())
        ? onSuccess(portals.of(childId), portal -> portal.map(inner).orElseGet(() -> ApiAccess.notFound("sub-organization " + childId)))
        : ApiAccess.notFound("sub-organization " + childId));
  }

  private Route update(Caller caller, Portal current, PortalBody body) {
    Branding was = current.branding();
    Branding branding = new Branding(or(body.name(), was.name()), or(body.primaryColor(), was.primaryColor()),
        or(body.accentColor(), was.accentColor()), or(body.supportEmail(), was.supportEmail()), or(body.supportPhone(), was.supportPhone()),
        body.poweredBy() == null ? was.poweredBy() : body.poweredBy());
    String slug = body.slug() == null ? current.slug() : body.slug().strip();
    if (!Portal.validSlug(slug)) {
      return ApiAccess.invalid("slug must be 1 to 64 lower-case letters, digits and inner hyphens, and not a reserved word");
    }
    Optional<String> problem = branding.problem();
    if (problem.isPresent()) {
      return ApiAccess.invalid(problem.get());
    }
    Portal changed = new Portal(current.orgId(), slug, body.enabled() == null ? current.enabled() : body.enabled(), branding,
        current.logoTag(), current.faviconTag());
    return onSuccess(views.whiteLabelAllowed(current.orgId()), allowed -> {
      if (!branding.poweredBy() && !allowed) {
        return ApiAccess.refuse(StatusCodes.FORBIDDEN, "tier_required",
            "hiding the \"powered by\" line needs one of the tiers " + String.join(", ", settings.whiteLabelTiers().stream().sorted().toList()));
      }
      return onSuccess(portals.save(changed, caller.actor()), saved -> saved instanceof Portals.Saved.Done done
          ? onSuccess(views.view(done.portal()), view -> complete(StatusCodes.OK, view, Json.marshaller()))
          : ApiAccess.refuse(StatusCodes.CONFLICT, "conflict", "the slug " + slug + " is another portal's"));
    });
  }

  private Route upload(Portal portal, PortalImage.Kind kind, byte[] bytes) {
    long max = kind == PortalImage.Kind.LOGO ? settings.maxLogoBytes() : settings.maxFaviconBytes();
    PortalImage.Checked checked = PortalImage.check(kind, bytes, max);
    if (checked instanceof PortalImage.Checked.Refused refused) {
      return bytes.length > max
          ? complete(ErrorHandling.response(StatusCodes.PAYLOAD_TOO_LARGE, "too_large", refused.reason()))
          : complete(ErrorHandling.response(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", refused.reason()));
    }
    PortalImage image = ((PortalImage.Checked.Accepted) checked).image();
    return onSuccess(portals.saveImage(portal.orgId(), image), done -> complete(StatusCodes.OK,
        new ImageSaved(kind.wireName(), image.contentType(), image.bytes().length, image.etag(),
            views.url(portal) + kind.wireName() + "?v=" + image.etag()), Json.marshaller()));
  }

  private Route addDomain(Portal portal, DomainBody body) {
    Optional<String> host = PortalDomain.normalize(body.host(), ownHost());
    if (host.isEmpty()) {
      return ApiAccess.invalid("host must be a public host name such as portal.example.com (no scheme, port, path or IP address)");
    }
    return onSuccess(portals.addDomain(portal.orgId(), host.get(), clock.instant()), domain -> domain.orgId().equals(portal.orgId())
        ? complete(StatusCodes.CREATED, PortalViews.domainView(domain), Json.marshaller())
        : ApiAccess.refuse(StatusCodes.CONFLICT, "conflict", "the host " + host.get() + " is another portal's"));
  }

  private String ownHost() {
    try {
      String host = URI.create(baseUrl.get()).getHost();
      return host == null ? "" : host;
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static String or(String given, String current) {
    return given == null ? current : given;
  }
}
