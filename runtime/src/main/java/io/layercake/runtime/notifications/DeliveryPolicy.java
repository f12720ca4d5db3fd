package io.layercake.runtime.notifications;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which channels one notification goes to for one person, and when. The app always has it. Beyond:
 * <ul>
 *   <li>{@code critical}: every channel the person can be reached on; nobody can mute it;</li>
 *   <li>{@code high}: email, push and Pushover, unless the person switched a channel off;</li>
 *   <li>{@code normal}: nothing more, unless the person switched a channel on;</li>
 *   <li>{@code low}: the daily digest email, unless the person switched email off.</li>
 * </ul>
 * An organization's map of a type to channels replaces the priority's default for that type; the
 * person's own choice (for that organization, else for all) still wins. Emails and pushes wait
 * {@code gatherDelay} (critical ones none), so a burst goes out as one summary.
 */
public final class DeliveryPolicy {
  private static final List<Channel> DIRECT = List.of(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER);

  private final Duration gatherDelay;
  private final int digestHourUtc;

  public DeliveryPolicy(Duration gatherDelay, int digestHourUtc) {
    this.gatherDelay = gatherDelay;
    this.digestHourUtc = digestHourUtc;
  }

  /** Where a person can be reached at all: everyone by email; Pushover with a key; push with a subscribed browser. */
  public record Reach(boolean pushover, boolean push) {
    boolean has(Channel channel) {
      return switch (channel) {
        case PUSHOVER -> pushover;
        case PUSH -> push;
        default -> true;
      };
    }
  }

  /** Where a type goes when its organization did not map it: the priority's channels, and the webhooks. */
  public static Set<Channel> defaults(Priority priority) {
    return switch (priority) {
      case CRITICAL, HIGH -> EnumSet.of(Channel.EMAIL, Channel.PUSH, Channel.PUSHOVER, Channel.WEBHOOK);
      case NORMAL -> EnumSet.of(Channel.WEBHOOK);
      case LOW -> EnumSet.of(Channel.DIGEST, Channel.WEBHOOK);
    };
  }

  public Set<Channel> channels(Priority priority, String orgId, Optional<Set<Channel>> orgRoute, Preferences preferences,
      Reach reach) {
    Set<Channel> route = orgRoute.orElseGet(() -> defaults(priority));
    Set<Channel> channels = EnumSet.noneOf(Channel.class);
    if (priority == Priority.LOW) {
      boolean byDefault = route.contains(Channel.DIGEST) || route.contains(Channel.EMAIL);
      if (preferences.choice(orgId, Channel.EMAIL).orElse(byDefault)) {
        channels.add(Channel.DIGEST);
      }
      return channels;
    }
    for (Channel channel : DIRECT) {
      if (reach.has(channel)
          && (priority == Priority.CRITICAL || preferences.choice(orgId, channel).orElse(route.contains(channel)))) {
        channels.add(channel);
      }
    }
    return channels;
  }

  /** Whether the organization's webhooks hear of an event: unless its map of the type leaves webhooks out. */
  public static boolean toWebhooks(Priority priority, Optional<Set<Channel>> orgRoute) {
    return orgRoute.orElseGet(() -> defaults(priority)).contains(Channel.WEBHOOK);
  }

  /** When a delivery on the channel is due: at once (critical), after the gather delay, or at the next digest hour. */
  public Instant dueAt(Channel channel, Priority priority, Instant now) {
    if (channel == Channel.DIGEST) {
      ZonedDateTime today = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(digestHourUtc, 0).atZone(ZoneOffset.UTC);
      return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant();
    }
    return priority == Priority.CRITICAL ? now : now.plus(gatherDelay);
  }
}
