package io.layercake.runtime.notifications;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Messages from the platform's staff to every person, at any priority (only these may be critical). */
public interface PlatformMessages {
  /** Queues the message for routing; answers its id. */
  CompletionStage<String> post(String title, String body, Priority priority, String link, Instant at);
}
