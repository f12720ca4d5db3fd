package io.layercake.runtime.channel;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The channels that let a business write only for a while after the customer's last message:
 * WhatsApp (24 hours; approved templates any time) and Instagram (24 hours for the agent; a
 * person from the business up to 7 days with Meta's human-agent tag; no templates). SMS and
 * webchat have no window.
 */
public final class MessagingWindows {
  public static final String WHATSAPP = "whatsapp";
  public static final String INSTAGRAM = "instagram";
  private static final Duration DAY = Duration.ofHours(24);
  private static final Duration HUMAN_AGENT = Duration.ofDays(7);

  private MessagingWindows() {}

  /** How long after the customer's last message the agent (or anything the platform starts) may write free text. */
  public static Optional<Duration> forAgent(String channel) {
    return WHATSAPP.equals(channel) || INSTAGRAM.equals(channel) ? Optional.of(DAY) : Optional.empty();
  }

  /** How long after the customer's last message a person from the business may write free text. */
  public static Optional<Duration> forPerson(String channel) {
    return INSTAGRAM.equals(channel) ? Optional.of(HUMAN_AGENT) : forAgent(channel);
  }

  /** Whether the channel takes pre-approved templates outside its window. */
  public static boolean takesTemplates(String channel) {
    return WHATSAPP.equals(channel);
  }

  /** Whether free text from the agent ({@code person} false) or a person is shut out at {@code now}. */
  public static boolean closed(String channel, Instant lastInboundAt, boolean person, Instant now) {
    Optional<Duration> window = person ? forPerson(channel) : forAgent(channel);
    return window.isPresent() && (lastInboundAt == null || !lastInboundAt.plus(window.get()).isAfter(now));
  }

  /** The channel's name as people read it. */
  public static String display(String channel) {
    return INSTAGRAM.equals(channel) ? "Instagram" : WHATSAPP.equals(channel) ? "WhatsApp" : channel;
  }
}
