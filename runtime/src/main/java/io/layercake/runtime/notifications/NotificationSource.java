package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Something that writes notification events when time passes (an unread direct message growing old), asked every round. */
public interface NotificationSource {
  /** Writes the events due at {@code now}; answers how many. */
  CompletionStage<Integer> writeDue(Instant now);
}
