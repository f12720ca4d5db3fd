package io.layercake.http.app;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What every page shows of who is signed in, what they may do, where else they may act, and the CSRF
 * token its changes carry.
 */
public record PageContext(String personName, String roleName, String orgId, String orgName, boolean orgChosen, String csrfToken,
    Set<String> scopes, List<Organization> organizations, Instant now) {

  /** An organization the person is a member of, to switch to. */
  public record Organization(String orgId, String name) {}

  public PageContext {
    scopes = Set.copyOf(scopes);
    organizations = List.copyOf(organizations);
  }

  /** A link to another page for the same organization: {@code ?org=} travels when the person chose one. */
  public String link(String path) {
    return orgChosen ? path + (path.contains("?") ? "&" : "?") + "org=" + java.net.URLEncoder.encode(orgId, java.nio.charset.StandardCharsets.UTF_8)
        : path;
  }

  public boolean may(String scope) {
    return scopes.contains(scope);
  }

  /** "just now", "5 min ago", "3 h ago", "2 days ago". */
  public static String ago(Instant then, Instant now) {
    Duration since = Duration.between(then, now);
    if (since.toMinutes() < 1) {
      return "just now";
    }
    if (since.toHours() < 1) {
      return since.toMinutes() + " min ago";
    }
    if (since.toDays() < 1) {
      return since.toHours() + " h ago";
    }
    return since.toDays() + (since.toDays() == 1 ? " day ago" : " days ago");
  }
}
