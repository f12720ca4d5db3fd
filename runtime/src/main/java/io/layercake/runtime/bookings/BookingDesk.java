package io.layercake.runtime.bookings;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where a conversation books an appointment: the client's calendar. */
public interface BookingDesk {
  /** No calendars: every booking is a request for a person to arrange (tests of the turn alone). */
  BookingDesk NONE = (orgId, request) -> CompletableFuture.completedFuture(new CalendarEntity.NoAvailability());

  CompletionStage<CalendarEntity.Reply> book(String orgId, BookingRequest request);
}
