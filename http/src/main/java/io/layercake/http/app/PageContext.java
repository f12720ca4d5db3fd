package io.layercake.http.app;

import java.time.Duration;
import java.time.Instant;

/** What every page shows of who is signed in, and the CSRF token its changes carry. */
public record PageContext(String personName, String roleName, String orgName, String csrfToken, Instant now) {

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
