package io.layercake.persistence.notifications;

import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Json;
import io.layercake.runtime.notifications.NotificationCatalog;
import io.layercake.runtime.notifications.PlatformMessages;
import io.layercake.runtime.notifications.Priority;
import io.layercake.runtime.people.Tokens;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** A platform message is one row in {@code notifications}, which the router fans out to every person. */
public final class JdbcPlatformMessages implements PlatformMessages {
  private final ApplicationDatabase database;

  public JdbcPlatformMessages(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<String> post(String title, String body, Priority priority, String link, Instant at) {
    String messageId = Tokens.id("pm_");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("messageId", messageId);
    payload.put("title", title);
    payload.put("body", body);
    payload.put("priority", priority.wireName());
    if (link != null && !link.isBlank()) {
      payload.put("link", link);
    }
    return database.write(connection -> {
      update(connection, "INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
              + " VALUES (?, ?, ?, ?, ?, 0)", JdbcNotificationRouter.PLATFORM_ORG, NotificationCatalog.PLATFORM_MESSAGE, Json.write(payload),
          at, "Platform|" + messageId);
      return messageId;
    });
  }
}
