package io.layercake.runtime.channel;

/** An agent answering on a channel address (a WhatsApp phone_number_id, an SMS number, a webchat key). */
public record Binding(String channel, String address, String orgId, String agentId) {}
