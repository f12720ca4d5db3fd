package io.layercake.http.admin;

import io.layercake.http.server.Json;
import io.layercake.runtime.people.Outbox;
import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /admin/emails}: emails that could not be delivered after every retry, newest first, with the last error. */
public final class EmailAdminRoutes extends AllDirectives {
  private static final int LIMIT = 200;

  private final Outbox outbox;

  public EmailAdminRoutes(Outbox outbox) {
    this.outbox = outbox;
  }

  public record UndeliveredList(List<Outbox.Undelivered> undelivered) {}

  public Route routes() {
    return path("emails", () -> get(() -> onSuccess(outbox.undelivered(LIMIT),
        found -> complete(StatusCodes.OK, new UndeliveredList(found), Json.marshaller()))));
  }
}
