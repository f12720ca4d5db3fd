package io.layercake.config;

import java.time.Duration;

/**
 * How conversations behave.
 *
 * @param approvalExpiry how long a pending approval waits for a decision before it counts as rejected
 * @param handoffReminder how long a handed-off conversation may wait for a human before the org is told again
 * @param contextMessages how many recent messages the model sees
 * @param seenMessageIds how many inbound provider message ids a conversation remembers to drop duplicates
 * @param maxToolRounds how many times one turn may call tools before the model must answer
 * @param deliveryRetryMin the first delay before an outbound message is sent again after a retryable failure
 * @param deliveryRetryMax the longest delay between delivery attempts
 * @param wakeInterval how often conversations with overdue work that are not in memory are woken
 * @param wakeGrace how long unanswered or unsent work may wait before a conversation counts as needing a wake
 * @param creditWait how long a turn keeps asking its organization for credits, and its agent entity for its
 *     configuration, when no answer comes (a busy entity, or one moving after a node was lost) before it fails
 *     open; meanwhile it waits, it does not apologize
 * @param creditLeaseTurns how many turns' worth of credits a conversation asks its organization for at once
 *     (a lease it then spends without asking); 1 reserves every turn on its own
 * @param creditLeaseIdle how long a conversation keeps an unused lease before it gives the rest back; a lease is
 *     also only spent from while more than this remains before it expires
 */
public record SessionSettings(
    Duration approvalExpiry,
    Duration handoffReminder,
    int contextMessages,
    int seenMessageIds,
    int maxToolRounds,
    Duration deliveryRetryMin,
    Duration deliveryRetryMax,
    Duration wakeInterval,
    Duration wakeGrace,
    Duration creditWait,
    int creditLeaseTurns,
    Duration creditLeaseIdle) {

  public SessionSettings withApprovalExpiry(Duration expiry) {
    return new SessionSettings(expiry, handoffReminder, contextMessages, seenMessageIds, maxToolRounds,
        deliveryRetryMin, deliveryRetryMax, wakeInterval, wakeGrace, creditWait, creditLeaseTurns, creditLeaseIdle);
  }

  public SessionSettings withHandoffReminder(Duration reminder) {
    return new SessionSettings(approvalExpiry, reminder, contextMessages, seenMessageIds, maxToolRounds,
        deliveryRetryMin, deliveryRetryMax, wakeInterval, wakeGrace, creditWait, creditLeaseTurns, creditLeaseIdle);
  }

  public SessionSettings withWakes(Duration interval, Duration grace) {
    return new SessionSettings(approvalExpiry, handoffReminder, contextMessages, seenMessageIds,
        maxToolRounds, deliveryRetryMin, deliveryRetryMax, interval, grace, creditWait, creditLeaseTurns, creditLeaseIdle);
  }

  public SessionSettings withCreditWait(Duration wait) {
    return new SessionSettings(approvalExpiry, handoffReminder, contextMessages, seenMessageIds,
        maxToolRounds, deliveryRetryMin, deliveryRetryMax, wakeInterval, wakeGrace, wait, creditLeaseTurns, creditLeaseIdle);
  }

  public SessionSettings withDeliveryRetry(Duration min, Duration max) {
    return new SessionSettings(approvalExpiry, handoffReminder, contextMessages, seenMessageIds,
        maxToolRounds, min, max, wakeInterval, wakeGrace, creditWait, creditLeaseTurns, creditLeaseIdle);
  }

  public SessionSettings withCreditLeases(int turns, Duration idle) {
    return new SessionSettings(approvalExpiry, handoffReminder, contextMessages, seenMessageIds,
        maxToolRounds, deliveryRetryMin, deliveryRetryMax, wakeInterval, wakeGrace, creditWait, turns, idle);
  }
}
