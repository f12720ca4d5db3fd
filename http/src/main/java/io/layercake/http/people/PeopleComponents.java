package io.layercake.http.people;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.people.JdbcInvitations;
import io.layercake.persistence.people.JdbcOutbox;
import io.layercake.persistence.people.JdbcPeople;
import io.layercake.persistence.people.JdbcSignInLinks;
import io.layercake.persistence.people.JdbcSigningKeys;
import io.layercake.persistence.people.JdbcUserSessions;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.limits.RateLimits;
import io.layercake.runtime.people.EmailDelivery;
import io.layercake.runtime.people.Invitations;
import io.layercake.runtime.people.Mailer;
import io.layercake.runtime.people.Outbox;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.SignIn;
import io.layercake.runtime.people.UserSessions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;

/** The people part of a node, assembled: users, sessions, invitations, sign-in, email delivery (and its mailer), portal tokens. */
public record PeopleComponents(
    People people,
    UserSessions sessions,
    Invitations invitations,
    Outbox outbox,
    SignIn signIn,
    PortalTokens tokens,
    PersonAuthentication authentication,
    Mailer mailer) {

  private static final Duration DELIVERY_EVERY = Duration.ofSeconds(5);

  /**
   * Assembles them and starts delivering email every few seconds (and at once when one is queued).
   *
   * @param baseUrl where browsers reach this node, known once it listens
   * @param mailExecutor where blocking SMTP calls and file writes run
   */
  public static PeopleComponents start(ActorSystem<?> system, LayercakeSettings settings, ApplicationDatabase database, SecretBox box,
      RateLimits rateLimits, OrgDirectory directory, Supplier<String> baseUrl, Executor mailExecutor) {
    Clock clock = Clock.systemUTC();
    Executor executor = system.executionContext();
    JdbcPeople people = new JdbcPeople(database, clock);
    JdbcUserSessions sessions = new JdbcUserSessions(database, clock);
    JdbcInvitations invitations = new JdbcInvitations(database, clock);
    JdbcOutbox outbox = new JdbcOutbox(database, box);
    Mailer mailer = Mailers.of(settings.people().email(), settings.dataDir());
    EmailDelivery delivery = new EmailDelivery(outbox, mailer,
        settings.people().email().maxAttempts(), mailExecutor, clock);
    system.scheduler().scheduleWithFixedDelay(DELIVERY_EVERY, DELIVERY_EVERY, delivery::deliverDue, system.executionContext());
    SignIn signIn = new SignIn(people, new JdbcSignInLinks(database, clock), sessions, invitations, outbox, delivery::deliverDue,
        rateLimits, settings.people(), baseUrl, executor, clock);
    PortalTokens tokens = PortalTokens.load(new JdbcSigningKeys(database, box, clock), settings.people().portalTokenLifetime(), clock,
        executor);
    PersonAuthentication authentication = new PersonAuthentication(sessions, new PersonAccess(people, directory, executor), tokens,
        settings.people(), clock);
    return new PeopleComponents(people, sessions, invitations, outbox, signIn, tokens, authentication, mailer);
  }
}
