package io.layercake.http.people;

import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.people.Membership;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.User;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * In which organization, with which role, a person acts: the organization they ask for (or their
 * first membership), where they are a member; an agency role also reaches the agency's clients,
 * and a platform admin reaches every organization.
 */
public final class PersonAccess {
  private final People people;
  private final OrgDirectory directory;
  private final Executor executor;

  public PersonAccess(People people, OrgDirectory directory, Executor executor) {
    this.people = people;
    this.directory = directory;
    this.executor = executor;
  }

  /** The outcome: acting somewhere, or refused. */
  public sealed interface Decision {
    record Acting(User user, String orgId, Role role) implements Decision {}

    /** The user does not exist (any more), is disabled, or belongs nowhere. */
    record NoUser() implements Decision {}

    record NotMember(String orgId) implements Decision {}
  }

  public CompletionStage<Decision> decide(String userId, Optional<String> requestedOrg) {
    return people.find(userId).thenComposeAsync(user -> {
      if (user.isEmpty() || user.get().disabled()) {
        return CompletableFuture.completedFuture(new Decision.NoUser());
      }
      return people.memberships(userId).thenComposeAsync(memberships -> decide(user.get(), memberships, requestedOrg), executor);
    }, executor);
  }

  private CompletionStage<Decision> decide(User user, List<Membership> memberships, Optional<String> requestedOrg) {
    if (memberships.isEmpty()) {
      return CompletableFuture.completedFuture(new Decision.NoUser());
    }
    if (requestedOrg.isEmpty()) {
      Membership first = memberships.get(0);
      return CompletableFuture.completedFuture(new Decision.Acting(user, first.orgId(), first.role()));
    }
    String orgId = requestedOrg.get();
    Optional<Membership> direct = memberships.stream().filter(membership -> membership.orgId().equals(orgId)).findFirst();
    if (direct.isPresent()) {
      return CompletableFuture.completedFuture(new Decision.Acting(user, orgId, direct.get().role()));
    }
    return directory.find(orgId).thenApplyAsync(entry -> {
      if (entry.isEmpty()) {
        return new Decision.NotMember(orgId);
      }
      if (memberships.stream().anyMatch(membership -> membership.role() == Role.PLATFORM_ADMIN)) {
        return new Decision.Acting(user, orgId, Role.PLATFORM_ADMIN);
      }
      String parent = entry.get().parentOrgId();
      return memberships.stream()
          .filter(membership -> membership.orgId().equals(parent) && membership.role().reachesClients())
          .findFirst()
          .<Decision>map(agency -> new Decision.Acting(user, orgId, agency.role()))
          .orElse(new Decision.NotMember(orgId));
    }, executor);
  }
}
