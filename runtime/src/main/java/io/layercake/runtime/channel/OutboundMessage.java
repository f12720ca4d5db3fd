package io.layercake.runtime.channel;

import java.time.Instant;

/**
 * One message a conversation sends: {@code outboundId} is unique within its session.
 * {@code lastInboundAt} is when the customer last wrote (channels with a messaging window need
 * it); {@code template} is set when the message is a template rather than free text.
 */
public record OutboundMessage(
    String sessionId, String orgId, String agentId, String channel, String contact, String outboundId, String text,
    Instant lastInboundAt, MessageTemplate template) {}
