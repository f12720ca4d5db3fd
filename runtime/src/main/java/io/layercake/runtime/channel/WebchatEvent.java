package io.layercake.runtime.channel;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;

/** A message for a webchat visitor, published to every node so the one holding the visitor's stream delivers it. */
public record WebchatEvent(String sessionId, String outboundId, String text, Instant at) implements JsonSerializable {}
