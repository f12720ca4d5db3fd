package io.layercake.config;

import java.time.Duration;

/**
 * People signing in: how long a sign-in link, a session and an invitation live, how often one
 * address and one IP may ask for links, the lifetime of the tokens agencies' own portals get, the
 * outgoing email, the notifications people get, and the first platform admin of an empty production database.
 *
 * @param linkLifetime how long an emailed sign-in link works (single use)
 * @param sessionIdle a session unused this long ends
 * @param sessionAbsolute a session ends this long after sign-in, used or not
 * @param invitationLifetime how long an invitation can be accepted
 * @param linksPerAddressPerMinute sign-in links one email address may ask for per minute
 * @param linksPerIpPerMinute sign-in links one client IP may ask for per minute
 * @param portalTokenLifetime lifetime of the JWTs issued by {@code POST /api/v1/auth/token}
 * @param bootstrapOwnerEmail on a database with no users, this address becomes the first platform admin; empty: none
 */
public record PeopleSettings(
    Duration linkLifetime,
    Duration sessionIdle,
    Duration sessionAbsolute,
    Duration invitationLifetime,
    int linksPerAddressPerMinute,
    int linksPerIpPerMinute,
    Duration portalTokenLifetime,
    String bootstrapOwnerEmail,
    EmailSettings email,
    NotificationSettings notifications) {

  /** The defaults a node starts with, for tests that build settings by hand. */
  public static PeopleSettings defaults() {
    return new PeopleSettings(Duration.ofMinutes(15), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(7), 3, 20,
        Duration.ofMinutes(15), "", EmailSettings.FILES, NotificationSettings.defaults());
  }

  public PeopleSettings withEmail(EmailSettings otherEmail) {
    return new PeopleSettings(linkLifetime, sessionIdle, sessionAbsolute, invitationLifetime, linksPerAddressPerMinute,
        linksPerIpPerMinute, portalTokenLifetime, bootstrapOwnerEmail, otherEmail, notifications);
  }

  public PeopleSettings withBootstrapOwnerEmail(String email) {
    return new PeopleSettings(linkLifetime, sessionIdle, sessionAbsolute, invitationLifetime, linksPerAddressPerMinute,
        linksPerIpPerMinute, portalTokenLifetime, email, this.email, notifications);
  }

  public PeopleSettings withNotifications(NotificationSettings other) {
    return new PeopleSettings(linkLifetime, sessionIdle, sessionAbsolute, invitationLifetime, linksPerAddressPerMinute,
        linksPerIpPerMinute, portalTokenLifetime, bootstrapOwnerEmail, email, other);
  }
}
