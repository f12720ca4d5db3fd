package io.layercake.config;

import java.time.Duration;

/**
 * The ledger's timing: how long a reservation may stay open, how often overdue ones are swept
 * up, and when an organization is told its credits run low.
 */
public record CreditSettings(Duration reservationTtl, Duration sweepInterval, int lowCreditPercent) {}
