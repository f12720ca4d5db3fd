package io.layercake.runtime.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** API keys: created with their scopes, shown once, stored hashed, revocable. */
public interface ApiKeys {
  /** A new key for the organization; the secret is in {@link Created#key()} and nowhere else. */
  CompletionStage<Created> create(String orgId, String name, Set<String> scopes, String createdBy);

  /** The live (not revoked) key a presented secret belongs to. */
  CompletionStage<Optional<ApiKey>> authenticate(String presentedKey);

  CompletionStage<List<ApiKey>> list(String orgId);

  /** Revokes the organization's key; false when it has no such live key. */
  CompletionStage<Boolean> revoke(String orgId, String keyId);

  record ApiKey(String keyId, String orgId, String name, Set<String> scopes, Instant createdAt, String createdBy, Instant revokedAt) {
    public ApiKey {
      scopes = Set.copyOf(scopes);
    }
  }

  record Created(ApiKey apiKey, String key) {}
}
