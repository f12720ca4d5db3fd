package io.layercake.runtime.people;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Users and their memberships. */
public interface People {
  CompletionStage<Optional<User>> find(String userId);

  /** The user with this address (any case). */
  CompletionStage<Optional<User>> findByEmail(String email);

  /** The user with this address, created with {@code name} when there is none. */
  CompletionStage<User> findOrCreate(String email, String name);

  CompletionStage<Boolean> anyUser();

  /** The user's memberships, oldest first. */
  CompletionStage<List<Membership>> memberships(String userId);

  /** The organization's members with their users, oldest first. */
  CompletionStage<List<Member>> members(String orgId);

  /** Gives the user the role in the organization, replacing a role they had there. */
  CompletionStage<Membership> grant(String userId, String orgId, Role role, String grantedBy);

  /** Ends the membership; false when there was none. */
  CompletionStage<Boolean> remove(String userId, String orgId);

  record Member(User user, Membership membership) {}
}
