package io.layercake.runtime.bookings;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import java.util.Locale;

/**
 * An appointment in a client's calendar: for whom (the conversation, channel and contact it came
 * from), what, when, and where it stands. A booked or confirmed one holds its slot.
 */
public record Appointment(String bookingId, String sessionId, String agentId, String channel, String contact, String service,
    Instant start, Instant end, Status status, String bookedBy, Instant bookedAt) implements JsonSerializable {

  public enum Status {
    /** Made (by the agent or a person), not yet confirmed by the business. */
    BOOKED,
    CONFIRMED,
    DECLINED,
    CANCELLED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean holdsItsSlot() {
    return status == Status.BOOKED || status == Status.CONFIRMED;
  }

  Appointment with(Status next) {
    return new Appointment(bookingId, sessionId, agentId, channel, contact, service, start, end, next, bookedBy, bookedAt);
  }

  Appointment movedTo(Instant newStart, Instant newEnd) {
    return new Appointment(bookingId, sessionId, agentId, channel, contact, service, newStart, newEnd, status, bookedBy, bookedAt);
  }
}
