package io.layercake.runtime.people;

import io.layercake.config.PeopleSettings;
import io.layercake.runtime.limits.RateLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signing people in by emailed link, and inviting them: a link request is rate-limited per address
 * and per IP and answers the same whether the address is known or not; following a link starts a
 * session, and a link from an invitation creates the user and the membership first.
 */
public final class SignIn {
  private static final Logger log = LoggerFactory.getLogger(SignIn.class);

  private final People people;
  private final SignInLinks links;
  private final UserSessions sessions;
  private final Invitations invitations;
  private final Outbox outbox;
  private final Runnable deliver;
  private final RateLimits rateLimits;
  private final PeopleSettings settings;
  private final Supplier<String> baseUrl;
  private final Executor executor;
  private final Clock clock;

  /**
   * @param deliver nudges email delivery after an email is queued
   * @param baseUrl where people's browsers reach this node, for the links in emails (no trailing slash)
   */
  public SignIn(People people, SignInLinks links, UserSessions sessions, Invitations invitations, Outbox outbox, Runnable deliver,
      RateLimits rateLimits, PeopleSettings settings, Supplier<String> baseUrl, Executor executor, Clock clock) {
    this.people = people;
    this.links = links;
    this.sessions = sessions;
    this.invitations = invitations;
    this.outbox = outbox;
    this.deliver = deliver;
    this.rateLimits = rateLimits;
    this.settings = settings;
    this.baseUrl = baseUrl;
    this.executor = executor;
    this.clock = clock;
  }

  /** Whether a link request went ahead (whatever the address), or must wait. */
  public sealed interface LinkRequest {
    record Accepted() implements LinkRequest {}

    record Limited(Duration retryAfter) implements LinkRequest {}
  }

  /** A signed-in person: {@code session.token()} goes into the cookie. */
  public record Started(User user, UserSessions.Started session) {}

  /**
   * Emails a sign-in link to {@code email} when it belongs to an enabled user; answers
   * {@link LinkRequest.Accepted} either way, so the answer never tells whether the address exists.
   */
  public CompletionStage<LinkRequest> requestLink(String email, String ip) {
    return requestLink(email, ip, Optional.empty());
  }

  /**
   * A place of its own that people sign in to, a client's portal: the email names it (and not
   * Layercake) and its link opens at {@code linkBase + "/sign-in/link"}.
   */
  public record Place(String name, String linkBase) {}

  /** As {@link #requestLink(String, String)}, for a place of its own when one is given. */
  public CompletionStage<LinkRequest> requestLink(String email, String ip, Optional<Place> place) {
    return rateLimits.acquire("sign-in:ip:" + ip, settings.linksPerIpPerMinute())
        .thenComposeAsync(ipWait -> ipWait.isPresent()
            ? CompletableFuture.completedFuture(ipWait)
            : rateLimits.acquire("sign-in:address:" + Tokens.hash(email), settings.linksPerAddressPerMinute()), executor)
        .thenComposeAsync(wait -> wait.<CompletionStage<LinkRequest>>map(
                retryAfter -> CompletableFuture.completedFuture(new LinkRequest.Limited(retryAfter)))
            .orElseGet(() -> sendLinkIfKnown(email, place).thenApply(done -> new LinkRequest.Accepted())), executor);
  }

  private CompletionStage<Void> sendLinkIfKnown(String email, Optional<Place> place) {
    return people.findByEmail(email).thenComposeAsync(user -> {
      if (user.isEmpty() || user.get().disabled()) {
        log.info("Sign-in link asked for an address with no enabled user: nothing sent");
        return CompletableFuture.completedFuture(null);
      }
      return links.issue(email, null, clock.instant().plus(settings.linkLifetime()))
          .thenComposeAsync(token -> {
            String where = place.map(Place::name).orElse("Layercake");
            String url = place.map(found -> found.linkBase() + "/sign-in/link?token=" + token).orElseGet(() -> linkUrl(token));
            return queue(new Outbox.Email(email, place.isPresent() ? "Your sign-in link for " + where : "Your Layercake sign-in link",
                "Hello " + user.get().name() + ",\n\nsign in to " + where + " with this link (it works once, for "
                    + minutes(settings.linkLifetime()) + " minutes):\n\n" + url
                    + "\n\nIf you did not ask for it, ignore this email: nobody can sign in without it.\n"));
          }, executor);
    }, executor);
  }

  /** A link that signs {@code email} in, for the console on a first start; no email is sent. */
  public CompletionStage<String> consoleLink(String email) {
    return links.issue(email, null, clock.instant().plus(settings.linkLifetime())).thenApply(this::linkUrl);
  }

  /**
   * Starts a session for the link's person: empty when the link is unknown, used or expired, its
   * invitation is no longer pending, or its user is disabled. {@code name} names a person an
   * invitation creates (blank: the part of the address before the {@code @}).
   */
  public CompletionStage<Optional<Started>> redeem(String token, String name, String userAgent, String ip) {
    Instant now = clock.instant();
    return links.redeem(token, now).thenComposeAsync(redeemed -> {
      if (redeemed.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.<User>empty());
      }
      return redeemed.get().invitationId() == null
          ? people.findByEmail(redeemed.get().email())
          : acceptInvitation(redeemed.get(), name, now);
    }, executor).thenComposeAsync(user -> user.filter(found -> !found.disabled())
        .map(found -> sessions.start(found.userId(), userAgent, ip, now.plus(settings.sessionAbsolute()))
            .thenApply(started -> Optional.of(new Started(found, started))))
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())), executor);
  }

  private CompletionStage<Optional<User>> acceptInvitation(SignInLinks.Redeemed redeemed, String name, Instant now) {
    return invitations.find(redeemed.invitationId()).thenComposeAsync(invitation -> {
      if (invitation.isEmpty() || invitation.get().status(now) != Invitations.Invitation.Status.PENDING) {
        return CompletableFuture.completedFuture(Optional.<User>empty());
      }
      Invitations.Invitation pending = invitation.get();
      String chosenName = name == null || name.isBlank() ? EmailAddresses.nameOf(pending.email()) : name.strip();
      return invitations.accept(pending.invitationId(), now).thenComposeAsync(accepted -> !accepted
          ? CompletableFuture.completedFuture(Optional.<User>empty())
          : people.findOrCreate(pending.email(), chosenName)
              .thenComposeAsync(user -> people.grant(user.userId(), pending.orgId(), pending.role(), pending.invitedBy())
                  .thenApply(membership -> {
                    log.info("Invitation {} accepted: user {} is {} of {}", pending.invitationId(), user.userId(), pending.role().wireName(),
                        pending.orgId());
                    return Optional.of(user);
                  }), executor), executor);
    }, executor);
  }

  /**
   * Where an organization's people sign in when it is not Layercake's app: a client's open portal.
   * Empty for every other organization.
   */
  @FunctionalInterface
  public interface Places {
    Places NONE = orgId -> CompletableFuture.completedFuture(Optional.empty());

    CompletionStage<Optional<Place>> of(String orgId);
  }

  /**
   * Invites {@code email} into the organization with the role and emails the link (valid as long as
   * the invitation). With a {@code place}, the email names only that place and its link opens there.
   */
  public CompletionStage<Invitations.Invitation> invite(String orgId, String orgName, String email, Role role, String invitedBy,
      String inviterName, Optional<Place> place) {
    Instant expiresAt = clock.instant().plus(settings.invitationLifetime());
    return invitations.create(orgId, email, role, invitedBy, expiresAt)
        .thenComposeAsync(invitation -> links.issue(email, invitation.invitationId(), expiresAt)
            .thenComposeAsync(token -> queue(place.map(found -> invitationTo(found, email, role, inviterName, expiresAt, token))
                .orElseGet(() -> new Outbox.Email(email, "You are invited to " + orgName + " on Layercake",
                    inviterName + " invited you to join " + orgName + " on Layercake as " + role.wireName().replace('_', ' ')
                        + ".\n\nAccept with this link (valid until " + expiresAt + "):\n\n" + linkUrl(token) + "\n"))), executor)
            .thenApply(done -> invitation), executor);
  }

  private static Outbox.Email invitationTo(Place place, String email, Role role, String inviterName, Instant expiresAt, String token) {
    String as = role == Role.CLIENT_OWNER ? "an owner" : "a team member";
    return new Outbox.Email(email, "You are invited to " + place.name(),
        inviterName + " invited you to " + place.name() + " as " + as + ".\n\nAccept with this link (valid until " + expiresAt
            + "):\n\n" + place.linkBase() + "/sign-in/link?token=" + token + "\n");
  }

  private CompletionStage<Void> queue(Outbox.Email email) {
    return outbox.enqueue(email, clock.instant()).thenApply(id -> {
      deliver.run();
      return null;
    });
  }

  private String linkUrl(String token) {
    return baseUrl.get() + "/auth/link?token=" + token;
  }

  private static long minutes(Duration duration) {
    return Math.max(1, duration.toMinutes());
  }
}
