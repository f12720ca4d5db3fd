package io.layercake.http.people;

import io.layercake.config.PeopleSettings;
import io.layercake.http.api.Caller;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.runtime.people.UserSessions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Turns a person's credential into a {@link Caller}: the session cookie (a write also needs the
 * CSRF token) or a portal token. The organization comes from {@value SessionCookies#ORGANIZATION_HEADER}
 * (for a portal token: its {@code org} claim) and the role from the membership, read on every
 * request, so a removed member loses access at once.
 */
public final class PersonAuthentication extends AllDirectives {
  private final UserSessions sessions;
  private final PersonAccess access;
  private final PortalTokens tokens;
  private final PeopleSettings settings;
  private final Clock clock;

  public PersonAuthentication(UserSessions sessions, PersonAccess access, PortalTokens tokens, PeopleSettings settings, Clock clock) {
    this.sessions = sessions;
    this.access = access;
    this.tokens = tokens;
    this.settings = settings;
    this.clock = clock;
  }

  /** The signed-in session of the cookie (and the CSRF check), else 401/403. */
  public Route session(String cookieToken, Function<UserSessions.UserSession, Route> inner) {
    return session(cookieToken, request -> complete(ended(SessionCookies.secure(request))), inner);
  }

  /**
   * A page's caller, which names the organization in its address ({@code ?org=}) rather than in a
   * header; an ended or unknown session goes to {@code signIn} (the cookie cleared) instead of 401.
   */
  public Route pageCaller(String cookieToken, Optional<String> requestedOrg, String signIn, Function<Caller, Route> inner) {
    return session(cookieToken,
        request -> complete(HttpResponse.create().withStatus(StatusCodes.SEE_OTHER).addHeader(Location.create(signIn))
            .addHeader(SetCookie.create(SessionCookies.cleared(SessionCookies.secure(request))))),
        session -> onSuccess(access.decide(session.userId(), requestedOrg.map(String::strip).filter(org -> !org.isEmpty())),
            decision -> acting(decision, new Caller.Session(session.sessionId(), session.csrfToken()), inner)));
  }

  /** Who looks at a page of one organization's own: nobody signed in, someone without access there, or a person acting there. */
  public sealed interface Visitor {
    record Anonymous() implements Visitor {}

    record Outsider(String userId) implements Visitor {}

    record Acting(Caller caller) implements Visitor {}
  }

  /** The visitor of a page that belongs to {@code orgId}, from the session cookie if any; pages only read, so no CSRF check. */
  public Route visitor(Optional<String> cookieToken, String orgId, Function<Visitor, Route> inner) {
    if (cookieToken.isEmpty()) {
      return inner.apply(new Visitor.Anonymous());
    }
    return onSuccess(sessions.authenticate(cookieToken.get(), clock.instant(), settings.sessionIdle()), found -> found
        .<Route>map(session -> onSuccess(access.decide(session.userId(), Optional.of(orgId)), decision -> inner.apply(
            decision instanceof PersonAccess.Decision.Acting acting
                ? new Visitor.Acting(Caller.person(acting.orgId(), acting.user(), acting.role(),
                    Optional.of(new Caller.Session(session.sessionId(), session.csrfToken()))))
                : decision instanceof PersonAccess.Decision.NotMember ? new Visitor.Outsider(session.userId())
                : new Visitor.Anonymous())))
        .orElseGet(() -> inner.apply(new Visitor.Anonymous())));
  }

  private Route session(String cookieToken, Function<HttpRequest, Route> ended, Function<UserSessions.UserSession, Route> inner) {
    return extractRequest(request -> onSuccess(sessions.authenticate(cookieToken, clock.instant(), settings.sessionIdle()), found -> {
      if (found.isEmpty()) {
        return ended.apply(request);
      }
      if (SessionCookies.writes(request)) {
        Optional<String> presented = request.getHeader(SessionCookies.CSRF_HEADER).map(header -> header.value());
        if (presented.isEmpty() || !constantTimeEquals(presented.get(), found.get().csrfToken())) {
          return complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "csrf_token_required",
              "a change made with a session cookie needs the header " + SessionCookies.CSRF_HEADER + " with the csrfToken from GET /api/v1/me"));
        }
      }
      return inner.apply(found.get());
    }));
  }

  /** The caller of a session cookie, acting in the organization the request names. */
  public Route sessionCaller(String cookieToken, Function<Caller, Route> inner) {
    return optionalHeaderValueByName(SessionCookies.ORGANIZATION_HEADER, requested -> sessionCaller(cookieToken, requested, inner));
  }

  private Route sessionCaller(String cookieToken, Optional<String> requestedOrg, Function<Caller, Route> inner) {
    return session(cookieToken, session ->
        onSuccess(access.decide(session.userId(), requestedOrg.map(String::strip).filter(org -> !org.isEmpty())), decision ->
            acting(decision, new Caller.Session(session.sessionId(), session.csrfToken()), inner)));
  }

  /** The caller of a portal token, acting in the token's organization with the token's role while the membership lasts. */
  public Route portalTokenCaller(String token, Function<Caller, Route> inner) {
    return onSuccess(tokens.verify(token), claims -> claims
        .<Route>map(valid -> onSuccess(access.decide(valid.userId(), Optional.of(valid.orgId())), decision ->
            decision instanceof PersonAccess.Decision.Acting acting && acting.role() == valid.role()
                ? inner.apply(Caller.person(acting.orgId(), acting.user(), acting.role(), Optional.empty()))
                : complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "unauthorized",
                    "the token's user is no longer a " + valid.role().wireName() + " of " + valid.orgId()))))
        .orElseGet(() -> complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "unauthorized",
            "the token is invalid or expired: ask for a new one at POST /api/v1/auth/token"))));
  }

  private Route acting(PersonAccess.Decision decision, Caller.Session session, Function<Caller, Route> inner) {
    if (decision instanceof PersonAccess.Decision.Acting acting) {
      return inner.apply(Caller.person(acting.orgId(), acting.user(), acting.role(), Optional.of(session)));
    }
    if (decision instanceof PersonAccess.Decision.NotMember notMember) {
      return complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "not_a_member",
          "you are not a member of organization " + notMember.orgId() + " (" + SessionCookies.ORGANIZATION_HEADER + ")"));
    }
    return complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "unauthorized", "this account belongs to no organization any more"));
  }

  /** 401 for a cookie that no longer signs anybody in, telling the browser to drop it. */
  static HttpResponse ended(boolean secure) {
    return ErrorHandling.response(StatusCodes.UNAUTHORIZED, "session_ended", "the session has ended or was signed out: sign in again")
        .addHeader(SetCookie.create(SessionCookies.cleared(secure)));
  }

  private static boolean constantTimeEquals(String presented, String expected) {
    return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
