package io.layercake.runtime.session;

import io.layercake.config.SessionSettings;
import io.layercake.runtime.serialization.JsonSerializable;

/**
 * How much a conversation remembers: the inbound provider ids it drops duplicates by, and the recent
 * messages the model sees. Journaled ({@link SessionEvent.ConversationStarted}, {@link SessionEvent.WindowsChanged})
 * so that replaying a conversation's events rebuilds the same state whatever the settings are today.
 */
public record ConversationWindows(int seenMessageIds, int contextMessages) implements JsonSerializable {
  /** What every conversation kept before the windows were journaled (the settings' defaults then and now). */
  public static final ConversationWindows UNRECORDED = new ConversationWindows(500, 30);

  public static ConversationWindows of(SessionSettings settings) {
    ConversationWindows windows = new ConversationWindows(settings.seenMessageIds(), settings.contextMessages());
    return windows.equals(UNRECORDED) ? UNRECORDED : windows;
  }
}
