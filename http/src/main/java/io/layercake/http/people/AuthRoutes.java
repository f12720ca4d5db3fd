package io.layercake.http.people;

import io.layercake.config.PeopleSettings;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.ClientAddress;
import io.layercake.http.server.Json;
import io.layercake.runtime.people.EmailAddresses;
import io.layercake.runtime.people.SignIn;
import io.layercake.runtime.people.UserSessions;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Signing in by email link, under {@code /auth}: ask for a link ({@code POST /auth/email-link},
 * the same answer whether the address is known or not), open it ({@code GET /auth/link}: a page
 * with one button, so a mail scanner that fetches links cannot use it up), follow it
 * ({@code POST /auth/session}: the session cookie), and sign out. Plus the public keys of portal
 * tokens at {@code /.well-known/jwks.json}.
 */
public final class AuthRoutes extends AllDirectives {
  private static final int MAX_TOKEN = 200;

  private final SignIn signIn;
  private final PersonAuthentication authentication;
  private final PortalTokens tokens;
  private final PeopleSettings settings;
  private final UserSessions sessions;

  public AuthRoutes(SignIn signIn, PersonAuthentication authentication, UserSessions sessions,
      PortalTokens tokens, PeopleSettings settings) {
    this.signIn = signIn;
    this.authentication = authentication;
    this.sessions = sessions;
    this.tokens = tokens;
    this.settings = settings;
  }

  public record LinkBody(String email) {}

  public record LinkRequested(String status, String message) {}

  public record SessionBody(String token, String name) {}

  public record SignedIn(String userId, String name, String email, String sessionId, String csrfToken) {}

  public record SignedOut(String status) {}

  public Route routes() {
    return pathPrefix("auth", () -> concat(
        path("email-link", () -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, LinkBody.class), this::requestLink))),
        path("link", () -> get(() -> parameterOptional("token", token -> linkPage(token.orElse(""))))),
        path("session", () -> post(() -> extractRequest(request -> request.entity().getContentType().mediaType()
            .equals(MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED)
            ? formFieldOptional("token", token -> formFieldOptional("name", name -> formFieldOptional("next", next ->
                startSession(token.orElse(""), name.orElse(""), Optional.of(next.filter(AuthRoutes::ownPath).orElse("/app"))))))
            : entity(Jackson.unmarshaller(Json.MAPPER, SessionBody.class), body ->
                startSession(body.token() == null ? "" : body.token(), body.name() == null ? "" : body.name(), Optional.empty()))))),
        path("sign-out", () -> post(() -> extractRequest(request -> optionalCookie(SessionCookies.NAME, cookie -> cookie
            .map(found -> authentication.session(found.value(), session ->
                onSuccess(sessions.revoke(session.userId(), session.sessionId()), revoked -> signedOut(request))))
            .orElseGet(() -> signedOut(request))))))));
  }

  /** The public keys that verify portal tokens. */
  public Route jwks() {
    return pathPrefix(".well-known", () -> path("jwks.json", () -> get(() -> respondWithHeaders(
        List.of(CacheControl.create(CacheDirectives.MAX_AGE(300))),
        () -> complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, tokens.jwks())))))));
  }

  private Route requestLink(LinkBody body) {
    Optional<String> email = EmailAddresses.normalize(body.email());
    if (email.isEmpty()) {
      return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", "email must be an email address"));
    }
    return extractRequest(request -> onSuccess(signIn.requestLink(email.get(), ClientAddress.of(request)), outcome -> {
      if (outcome instanceof SignIn.LinkRequest.Limited limited) {
        long seconds = Math.max(1, limited.retryAfter().toSeconds());
        return complete(ErrorHandling.response(StatusCodes.TOO_MANY_REQUESTS, "rate_limited",
                "too many sign-in links asked for: try again in " + seconds + " seconds")
            .addHeader(RetryAfter.create(seconds)));
      }
      return complete(StatusCodes.ACCEPTED, new LinkRequested("sent", "If " + email.get() + " has an account, a sign-in link is on its way."
          + " It works once, for " + Math.max(1, settings.linkLifetime().toMinutes()) + " minutes."), Json.marshaller());
    }));
  }

  /** Where a sign-in form may send the browser on: a path of this host, never another site. */
  static boolean ownPath(String next) {
    return next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") && next.length() <= 300
        && next.chars().noneMatch(c -> c < 0x21 || c == 0x7f);
  }

  /** {@code redirectTo}: a form's sign-in, which goes on to that page; empty: the API's, which answers JSON. */
  private Route startSession(String token, String name, Optional<String> redirectTo) {
    if (token.isBlank() || token.length() > MAX_TOKEN) {
      return complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "invalid_link", "the sign-in link is incomplete: open it from the email again"));
    }
    String chosenName = name.strip().length() > 200 ? name.strip().substring(0, 200) : name.strip();
    return extractRequest(request -> onSuccess(signIn.redeem(token, chosenName,
            request.getHeader("User-Agent").map(header -> header.value()).orElse(""), ClientAddress.of(request)),
        started -> started.map(person -> {
          boolean secure = SessionCookies.secure(request);
          SetCookie cookie = SetCookie.create(SessionCookies.session(person.session().token(), settings.sessionAbsolute(), secure));
          if (redirectTo.isPresent()) {
            return complete(HttpResponse.create().withStatus(StatusCodes.SEE_OTHER)
                .addHeader(Location.create(redirectTo.get())).addHeader(cookie));
          }
          return respondWithHeader(cookie, () -> complete(StatusCodes.CREATED, new SignedIn(person.user().userId(), person.user().name(),
              person.user().email(), person.session().session().sessionId(), person.session().session().csrfToken()), Json.marshaller()));
        }).orElseGet(() -> complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "invalid_link",
            "this sign-in link is expired, was already used, or is not one of ours: ask for a new one")))));
  }

  private Route signedOut(HttpRequest request) {
    return respondWithHeader(SetCookie.create(SessionCookies.cleared(SessionCookies.secure(request))),
        () -> complete(StatusCodes.OK, new SignedOut("signed_out"), Json.marshaller()));
  }

  /** One button that posts the token: following a link by GET changes nothing. */
  private Route linkPage(String token) {
    String safe = token.replaceAll("[^A-Za-z0-9_-]", "");
    String page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer"><title>Sign in to Layercake</title>
        <link rel="stylesheet" href="/app/app.css"></head>
        <body class="sign-in-page"><main class="sign-in">
        <h1>Sign in to Layercake</h1>
        <form method="post" action="/auth/session" class="form">
        <input type="hidden" name="token" value="%s">
        <label for="name">Your name <span class="optional">(only asked when you accept an invitation)</span></label>
        <input id="name" name="name" maxlength="200" autocomplete="name">
        <div class="actions"><button id="continue" type="submit">Continue</button></div>
        </form></main></body></html>
        """.formatted(safe);
    return respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_STORE)),
        () -> complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page))));
  }

}
