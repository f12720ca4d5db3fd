package io.layercake.http.portal;

import io.layercake.runtime.portal.Branding;
import io.layercake.runtime.portal.Portal;
import java.time.Instant;
import java.util.List;

/**
 * What every portal page shows: the client's branding (and nothing of the agency or the platform
 * unless the "powered by" line is on), where the portal's pages are ({@code base}: {@code /portal/{slug}}
 * or empty on its own domain), who is signed in, and, for agency staff, the other clients' portals.
 */
public record PortalPage(String base, String orgId, Branding branding, String logoTag, String faviconTag, boolean poweredBy,
    String personName, String csrfToken, List<Switch> switcher, String section, Instant now) {

  /** Another client's portal the agency person may open. */
  public record Switch(String name, String href, boolean current) {}

  public PortalPage {
    switcher = List.copyOf(switcher);
  }

  static PortalPage of(Portal portal, String base, boolean poweredBy, String personName, String csrfToken, List<Switch> switcher,
      String section, Instant now) {
    return new PortalPage(base, portal.orgId(), portal.branding(), portal.logoTag().orElse(""), portal.faviconTag().orElse(""),
        poweredBy, personName, csrfToken, switcher, section, now);
  }

  /** A link to one of the portal's pages: {@code path} starts with a slash. */
  public String link(String path) {
    return base + path;
  }

  public String home() {
    return base + "/";
  }

  /** The client's colours as custom properties, for the body's style attribute (validated #rrggbb values only). */
  public String colours() {
    return "--accent:" + branding.primaryColor() + ";--brand:" + branding.primaryColor() + ";--on-brand:" + branding.textOnPrimary()
        + ";--brand-accent:" + branding.accentColor();
  }
}
