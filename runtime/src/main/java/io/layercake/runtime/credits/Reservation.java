package io.layercake.runtime.credits;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;

/**
 * Credits set aside for a turn in flight. {@code holds} left the buckets when the reservation was
 * made; {@code unmetered} is the part an unlimited tier does not back with credits.
 *
 * @param forOrgId the organization the turn is for: the pool itself or one of its sub-organizations
 * @param dailyPeriod the daily period its daily hold came from; if that period has ended when the
 *     hold comes back, those credits lapse instead of joining the new period's bucket
 * @param monthlyPeriod likewise for the monthly hold
 */
public record Reservation(
    String reservationId,
    long amount,
    Balances holds,
    long unmetered,
    String forOrgId,
    String sessionId,
    String agentId,
    Instant expiresAt,
    String dailyPeriod,
    String monthlyPeriod)
    implements JsonSerializable {}
