package io.layercake.runtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.serialization.jackson.JacksonMigration;

/**
 * Reads the session events journaled while they were nested in {@link SessionEntity}
 * ({@code SessionEntity$MessageReceived}, until December 2026) as the {@link SessionEvent} they are now;
 * their JSON did not change. Each old name is mapped to this migration in the runtime's
 * {@code reference.conf} ({@code pekko.serialization.jackson.migrations}).
 */
public final class SessionEventsMoved extends JacksonMigration {
  static final String OLD_PREFIX = "io.layercake.runtime.session.SessionEntity$";
  private static final String NEW_PREFIX = SessionEvent.class.getName() + "$";

  @Override
  public int currentVersion() {
    // the old names were written without a version (1); anything below 2 is read through this migration
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return className.startsWith(OLD_PREFIX) ? NEW_PREFIX + className.substring(OLD_PREFIX.length()) : className;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
