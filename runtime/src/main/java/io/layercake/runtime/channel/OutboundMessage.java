package io.layercake.runtime.channel;

import java.time.Instant;

/**
 * One message a conversation sends: {@code outboundId} is unique within its session.
 * {@code lastInboundAt} is when the customer last wrote (channels with a messaging window need
 * it); {@code template} is set when the message is a template rather than free text.
 * {@code startedByOrganization} is true for messages the organization starts (a follow-up, a
 * reminder) rather than answers to the customer; SMS sends those from the organization's
 * alphanumeric sender, and answers from the number the customer wrote to. {@code byPerson}: a person
 * from the business wrote it (Instagram lets them write longer after the customer's last message).
 */
public record OutboundMessage(
    String sessionId, String orgId, String agentId, String channel, String contact, String outboundId, String text,
    Instant lastInboundAt, MessageTemplate template, boolean startedByOrganization, boolean byPerson) {

  public OutboundMessage(
      String sessionId, String orgId, String agentId, String channel, String contact, String outboundId, String text,
      Instant lastInboundAt, MessageTemplate template, boolean startedByOrganization) {
    this(sessionId, orgId, agentId, channel, contact, outboundId, text, lastInboundAt, template, startedByOrganization, false);
  }

  /** An answer to the customer (not started by the organization). */
  public OutboundMessage(
      String sessionId, String orgId, String agentId, String channel, String contact, String outboundId, String text,
      Instant lastInboundAt, MessageTemplate template) {
    this(sessionId, orgId, agentId, channel, contact, outboundId, text, lastInboundAt, template, false, false);
  }

  /** Whether this answers a customer who wrote in: not started by the organization, and the customer has written. */
  public boolean answersCustomer() {
    return !startedByOrganization && lastInboundAt != null;
  }
}
