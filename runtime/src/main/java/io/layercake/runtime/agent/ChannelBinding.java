package io.layercake.runtime.agent;

import java.util.Set;

/** An agent answering on a channel address: a WhatsApp phone_number_id, an SMS number, a webchat key, an Instagram account id. */
public record ChannelBinding(String channel, String address) {
  public static final Set<String> CHANNELS = Set.of("whatsapp", "sms", "webchat", "instagram");
}
