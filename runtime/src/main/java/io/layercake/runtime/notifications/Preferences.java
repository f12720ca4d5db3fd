package io.layercake.runtime.notifications;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A person's choices: per organization (or {@link #EVERY_ORGANIZATION}) and channel, on or off. An
 * organization's own choice wins over the one for all; no choice leaves the priority's default.
 */
public record Preferences(Map<String, Map<Channel, Boolean>> choices) {
  public static final String EVERY_ORGANIZATION = "*";
  public static final Preferences NONE = new Preferences(Map.of());

  public Preferences {
    Map<String, Map<Channel, Boolean>> copy = new HashMap<>();
    choices.forEach((orgId, channels) -> copy.put(orgId, Map.copyOf(channels)));
    choices = Map.copyOf(copy);
  }

  public Optional<Boolean> choice(String orgId, Channel channel) {
    Boolean own = choices.getOrDefault(orgId, Map.of()).get(channel);
    return Optional.ofNullable(own != null ? own : choices.getOrDefault(EVERY_ORGANIZATION, Map.of()).get(channel));
  }
}
