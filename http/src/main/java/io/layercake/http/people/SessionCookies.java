package io.layercake.http.people;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.SameSite;

/**
 * The session cookie: opaque, {@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} when the
 * browser came over https (directly or through a proxy that says so in {@code X-Forwarded-Proto}).
 */
public final class SessionCookies {
  public static final String NAME = "layercake_session";
  /** The header a cookie-authenticated write carries, with the CSRF token from {@code /api/v1/me}. */
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** The header naming the organization a person acts in (default: their first membership). */
  public static final String ORGANIZATION_HEADER = "Layercake-Organization";

  private SessionCookies() {}

  public static HttpCookie session(String token, Duration maxAge, boolean secure) {
    return HttpCookie.create(NAME, token).withPath("/").withHttpOnly(true).withSameSite(SameSite.Lax).withSecure(secure)
        .withMaxAge(maxAge.toSeconds());
  }

  /** Tells the browser to forget the cookie. */
  public static HttpCookie cleared(boolean secure) {
    return HttpCookie.create(NAME, "deleted").withPath("/").withHttpOnly(true).withSameSite(SameSite.Lax).withSecure(secure)
        .withMaxAge(0);
  }

  public static boolean secure(HttpRequest request) {
    Optional<String> forwarded = request.getHeader("X-Forwarded-Proto").map(header -> header.value());
    return "https".equalsIgnoreCase(request.getUri().getScheme()) || forwarded.map("https"::equalsIgnoreCase).orElse(false);
  }

  /** Whether the method changes something, and so needs the CSRF token. */
  public static boolean writes(HttpRequest request) {
    String method = request.method().name();
    return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
  }
}
