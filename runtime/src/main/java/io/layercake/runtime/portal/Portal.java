package io.layercake.runtime.portal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A client's portal: where it lives ({@code /portal/{slug}/}), whether it is open, and its branding.
 * {@code logoTag} and {@code faviconTag} are the uploaded images' ETags, empty when none.
 */
public record Portal(String orgId, String slug, boolean enabled, Branding branding, Optional<String> logoTag,
    Optional<String> faviconTag) {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
  /** Slugs that would read as the portal's own pages. */
  private static final Set<String> RESERVED = Set.of("assets", "sign-in", "sign-out", "api", "auth", "admin", "app", "portal");

  /** The portal of a client nobody has set one up for: its id as the slug (when it can be one), open, unbranded. */
  public static Portal defaultFor(String orgId, String clientName) {
    return new Portal(orgId, orgId.toLowerCase(Locale.ROOT), true, Branding.of(clientName), Optional.empty(), Optional.empty());
  }

  /** Whether {@code slug} can name a portal: lower-case letters, digits and inner hyphens, at most 64, not reserved. */
  public static boolean validSlug(String slug) {
    return slug != null && SLUG.matcher(slug).matches() && !RESERVED.contains(slug);
  }

  /** Where the portal is, on this platform's host. */
  public String path() {
    return "/portal/" + slug + "/";
  }
}
