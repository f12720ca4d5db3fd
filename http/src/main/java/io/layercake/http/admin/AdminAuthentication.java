package io.layercake.http.admin;

import io.layercake.config.AdminSettings;
import io.layercake.http.errors.ErrorHandling;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Lets through requests that carry the operator token as {@code Authorization: Bearer <token>}. */
public final class AdminAuthentication extends AllDirectives {
  private static final String BEARER = "Bearer ";

  private final AdminSettings settings;

  public AdminAuthentication(AdminSettings settings) {
    this.settings = settings;
  }

  public Route requireOperator(Supplier<Route> inner) {
    if (!settings.enabled()) {
      return complete(ErrorHandling.response(
          StatusCodes.FORBIDDEN, "admin_disabled", "The operator endpoints are disabled: set LAYERCAKE_ADMIN_TOKEN to enable them."));
    }
    Route answering = inner.get(); // once: a directive calls its inner supplier for every request
    return optionalHeaderValueByName("Authorization", header -> {
      Optional<String> token = header.filter(value -> value.startsWith(BEARER)).map(value -> value.substring(BEARER.length()).strip());
      if (token.isPresent() && settings.token().matches(token.get())) {
        return answering;
      }
      return complete(ErrorHandling.response(
              StatusCodes.UNAUTHORIZED, "unauthorized", "An operator token is required: Authorization: Bearer <token>.")
          .addHeader(WWWAuthenticate.create(HttpChallenge.createOAuth2("layercake-admin"))));
    });
  }
}
