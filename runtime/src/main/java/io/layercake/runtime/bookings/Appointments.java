package io.layercake.runtime.bookings;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The appointments as the read model has them, and the clients' calendar feed tokens. */
public interface Appointments {

  /** An appointment with the client it belongs to. */
  record Listed(String orgId, Appointment appointment) {}

  /** The client's appointments overlapping {@code [from, to)}, earliest first. */
  CompletionStage<List<Listed>> between(String orgId, Instant from, Instant to, int limit);

  CompletionStage<Optional<Listed>> find(String bookingId);

  /** A new feed token for the client (the previous one stops working); only its hash is kept. */
  CompletionStage<String> newFeedToken(String orgId, Instant at);

  /** The client whose feed the token opens. */
  CompletionStage<Optional<String>> feedOwner(String token);
}
