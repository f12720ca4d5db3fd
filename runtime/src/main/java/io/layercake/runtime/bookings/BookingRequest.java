package io.layercake.runtime.bookings;

import io.layercake.runtime.serialization.JsonSerializable;

/**
 * A booking asked for: {@code key} makes a repeat the same booking (a conversation's tool call);
 * {@code requestedTime} is local to the client, {@code YYYY-MM-DD HH:MM}.
 */
public record BookingRequest(String key, String sessionId, String agentId, String channel, String contact, String service,
    String requestedTime, String bookedBy) implements JsonSerializable {}
