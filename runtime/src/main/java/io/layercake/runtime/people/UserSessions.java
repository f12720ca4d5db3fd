package io.layercake.runtime.people;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Signed-in sessions: an opaque cookie of which only a hash is stored, with idle and absolute expiry. */
public interface UserSessions {
  CompletionStage<Started> start(String userId, String userAgent, String ip, Instant expiresAt);

  /** The live session the cookie belongs to (not revoked, not expired, used within {@code idle}); marks it used. */
  CompletionStage<Optional<UserSession>> authenticate(String token, Instant now, java.time.Duration idle);

  /** The user's live sessions, newest first. */
  CompletionStage<List<UserSession>> list(String userId, Instant now, java.time.Duration idle);

  /** Ends one of the user's sessions; false when the user has no such live session. */
  CompletionStage<Boolean> revoke(String userId, String sessionId);

  /** Ends all the user's sessions ("sign out everywhere"); how many ended. */
  CompletionStage<Integer> revokeAll(String userId);

  record UserSession(String sessionId, String userId, String csrfToken, Instant createdAt, Instant lastSeenAt, Instant expiresAt,
      String userAgent, String ip) {}

  /** A new session: {@code token} goes into the cookie and is stored nowhere. */
  record Started(UserSession session, String token) {}
}
