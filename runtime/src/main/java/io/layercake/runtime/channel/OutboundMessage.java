package io.layercake.runtime.channel;

/** One message a conversation sends: {@code outboundId} is unique within its session. */
public record OutboundMessage(
    String sessionId, String orgId, String agentId, String channel, String contact, String outboundId, String text) {}
