package io.layercake.runtime.people;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** One-time sign-in links: a random token of which only a hash is stored. */
public interface SignInLinks {
  /** A new token for the address (and the invitation it accepts, or null), valid until {@code expiresAt}. */
  CompletionStage<String> issue(String email, String invitationId, Instant expiresAt);

  /** Uses the token up: empty when it is unknown, used or expired. */
  CompletionStage<Optional<Redeemed>> redeem(String token, Instant now);

  record Redeemed(String email, String invitationId) {}
}
