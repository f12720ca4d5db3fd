package io.layercake.http.admin;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.runtime.notifications.PlatformMessages;
import io.layercake.runtime.notifications.Priority;
import java.time.Clock;
import java.util.Optional;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /admin/notifications}: a message from the platform to every person, at a priority;
 * {@code critical} reaches every channel each person has, whatever they chose.
 */
public final class NotificationAdminRoutes extends AllDirectives {
  private static final int MAX_TITLE = 200;
  private static final int MAX_BODY = 2000;

  private final PlatformMessages messages;
  private final Clock clock;

  public NotificationAdminRoutes(PlatformMessages messages, Clock clock) {
    this.messages = messages;
    this.clock = clock;
  }

  public record MessageBody(String title, String body, String priority, String link) {}

  public record Posted(String messageId, String priority) {}

  public Route routes() {
    return path("notifications", () -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, MessageBody.class), this::post)));
  }

  private Route post(MessageBody body) {
    if (body.title() == null || body.title().isBlank() || body.title().length() > MAX_TITLE) {
      return invalid("title is required, at most " + MAX_TITLE + " characters");
    }
    if (body.body() != null && body.body().length() > MAX_BODY) {
      return invalid("body is at most " + MAX_BODY + " characters");
    }
    if (body.link() != null && !body.link().isBlank() && !body.link().startsWith("/app")) {
      return invalid("link is a dashboard path starting with /app");
    }
    Optional<Priority> priority = Priority.parse(body.priority() == null ? "normal" : body.priority());
    if (priority.isEmpty()) {
      return invalid("priority is critical, high, normal or low");
    }
    return onSuccess(messages.post(body.title().strip(), body.body() == null ? "" : body.body().strip(), priority.get(), body.link(),
            clock.instant()),
        messageId -> complete(StatusCodes.ACCEPTED, new Posted(messageId, priority.get().wireName()), Json.marshaller()));
  }

  private static Route invalid(String message) {
    return new AllDirectives() {}.complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
