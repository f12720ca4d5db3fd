package io.layercake.runtime.channel;

import io.layercake.config.Secret;

/**
 * An organization's own setup on a channel: its WhatsApp access token; its SMS sender id and its
 * Infobip entity. Empty parts are not configured.
 */
public record ChannelAccount(String orgId, String channel, Secret accessToken, String senderId, String entityId) {
  public static ChannelAccount none(String orgId, String channel) {
    return new ChannelAccount(orgId, channel, Secret.of(""), null, null);
  }
}
