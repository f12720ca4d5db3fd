package io.layercake.runtime.channel;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;

/**
 * A message for a webchat visitor, published to every node so the one holding the visitor's stream
 * delivers it. {@code delta}: a piece of a reply the model is still writing ({@code outboundId} then
 * names the model call it belongs to); the recorded reply follows as a message, whole.
 */
public record WebchatEvent(String sessionId, String outboundId, String text, Instant at, boolean delta) implements JsonSerializable {
  /** A recorded message. */
  public WebchatEvent(String sessionId, String outboundId, String text, Instant at) {
    this(sessionId, outboundId, text, at, false);
  }
}
