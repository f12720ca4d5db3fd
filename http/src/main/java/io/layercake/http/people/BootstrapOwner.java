package io.layercake.http.people;

import io.layercake.http.api.PeopleApiRoutes;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.SignIn;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first platform admin of a production database: when {@code LAYERCAKE_BOOTSTRAP_OWNER_EMAIL}
 * is set and the platform organization has no member yet, opens the platform organization, makes
 * that address its platform admin, and answers a sign-in link for the console. Later starts do nothing.
 */
public final class BootstrapOwner {
  private static final Logger log = LoggerFactory.getLogger(BootstrapOwner.class);
  private static final String BY = "bootstrap";

  private final Organizations organizations;
  private final People people;
  private final SignIn signIn;
  private final Executor executor;

  public BootstrapOwner(Organizations organizations, People people, SignIn signIn, Executor executor) {
    this.organizations = organizations;
    this.people = people;
    this.signIn = signIn;
    this.executor = executor;
  }

  /** The sign-in link of the admin it created; empty when {@code email} is empty or the platform already has people. */
  public CompletionStage<Optional<String>> createIfNone(String email) {
    if (email.isBlank()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return people.members(PeopleApiRoutes.PLATFORM_ORG).thenComposeAsync(members -> {
      if (!members.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<String>empty());
      }
      return organizations.open(PeopleApiRoutes.PLATFORM_ORG, "Platform", "enterprise", null)
          .thenComposeAsync(opened -> {
            if (opened instanceof OrgEntity.Rejected rejected && rejected.reason() != OrgEntity.Reason.CONFLICT) {
              return CompletableFuture.failedFuture(new IllegalStateException("could not open the platform organization: "
                  + rejected.message()));
            }
            return people.findOrCreate(email, "Platform admin");
          }, executor)
          .thenComposeAsync(user -> people.grant(user.userId(), PeopleApiRoutes.PLATFORM_ORG, Role.PLATFORM_ADMIN, BY), executor)
          .thenComposeAsync(membership -> signIn.consoleLink(email), executor)
          .thenApply(link -> {
            log.info("Bootstrap: {} is the platform admin", email);
            return Optional.of(link);
          });
    }, executor);
  }
}
