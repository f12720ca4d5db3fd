package io.layercake.runtime.people;

import static io.layercake.runtime.access.Scopes.AGENTS_READ;
import static io.layercake.runtime.access.Scopes.BOOKINGS_READ;
import static io.layercake.runtime.access.Scopes.BOOKINGS_WRITE;
import static io.layercake.runtime.access.Scopes.INVOICES_READ;
import static io.layercake.runtime.access.Scopes.INVOICES_WRITE;
import static io.layercake.runtime.access.Scopes.AGENTS_WRITE;
import static io.layercake.runtime.access.Scopes.APPROVALS_WRITE;
import static io.layercake.runtime.access.Scopes.BILLING_WRITE;
import static io.layercake.runtime.access.Scopes.CONVERSATIONS_READ;
import static io.layercake.runtime.access.Scopes.CONVERSATIONS_WRITE;
import static io.layercake.runtime.access.Scopes.CREDITS_READ;
import static io.layercake.runtime.access.Scopes.KEYS_WRITE;
import static io.layercake.runtime.access.Scopes.KNOWLEDGE_READ;
import static io.layercake.runtime.access.Scopes.KNOWLEDGE_WRITE;
import static io.layercake.runtime.access.Scopes.MEMBERS_READ;
import static io.layercake.runtime.access.Scopes.MEMBERS_WRITE;
import static io.layercake.runtime.access.Scopes.ORGANIZATIONS_READ;
import static io.layercake.runtime.access.Scopes.ORGANIZATIONS_WRITE;
import static io.layercake.runtime.access.Scopes.WEBHOOKS_WRITE;

import io.layercake.runtime.access.Scopes;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a person may do in an organization: the one permission table. Each role grants a set of the
 * same scopes API keys carry, so every route checks a person exactly as it checks a key. The
 * README's role table is this enum written out (a test keeps them equal).
 */
public enum Role {
  /** Runs the agency: everything, billing included. */
  OWNER(Level.AGENCY, Scopes.ALL),
  /** Runs the agency day to day: everything but buying credits and numbers. */
  ADMIN(Level.AGENCY, without(Scopes.ALL, BILLING_WRITE)),
  /** Agency staff: works the conversations of the agency and its clients, reads the rest. */
  MEMBER(Level.AGENCY, Set.of(CONVERSATIONS_READ, CONVERSATIONS_WRITE, APPROVALS_WRITE, AGENTS_READ, KNOWLEDGE_READ, CREDITS_READ,
      ORGANIZATIONS_READ, MEMBERS_READ, BOOKINGS_READ, BOOKINGS_WRITE, INVOICES_READ)),
  /** The client's owner (the plumber): their conversations, knowledge and team. */
  CLIENT_OWNER(Level.CLIENT, Set.of(CONVERSATIONS_READ, CONVERSATIONS_WRITE, APPROVALS_WRITE, AGENTS_READ, KNOWLEDGE_READ,
      KNOWLEDGE_WRITE, CREDITS_READ, ORGANIZATIONS_READ, MEMBERS_READ, MEMBERS_WRITE, BOOKINGS_READ, BOOKINGS_WRITE, INVOICES_READ,
      INVOICES_WRITE)),
  /** The client's staff: their conversations. */
  CLIENT_MEMBER(Level.CLIENT, Set.of(CONVERSATIONS_READ, CONVERSATIONS_WRITE, APPROVALS_WRITE, AGENTS_READ, KNOWLEDGE_READ,
      ORGANIZATIONS_READ, MEMBERS_READ, BOOKINGS_READ, BOOKINGS_WRITE, INVOICES_READ)),
  /** Platform staff: everything, in any organization they choose to act in. */
  PLATFORM_ADMIN(Level.PLATFORM, Scopes.ALL);

  /** Where a role is held: an agency (no parent), a client (a sub-organization), or the platform organization. */
  public enum Level { PLATFORM, AGENCY, CLIENT }

  private final Level level;
  private final Set<String> scopes;

  Role(Level level, Set<String> scopes) {
    this.level = level;
    this.scopes = Set.copyOf(scopes);
  }

  public Level level() {
    return level;
  }

  /** The scopes this role grants. */
  public Set<String> scopes() {
    return scopes;
  }

  /** How the role is written in the API and the README: lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String wireName) {
    return Arrays.stream(values()).filter(role -> role.wireName().equals(wireName)).findFirst();
  }

  /**
   * Whether a person with this role may give {@code other} to someone: owners and platform admins
   * any role of the level they manage, admins anything but owner, client owners their own two roles.
   */
  public boolean mayGrant(Role other) {
    return switch (this) {
      case PLATFORM_ADMIN -> true;
      case OWNER -> other != PLATFORM_ADMIN;
      case ADMIN -> other != PLATFORM_ADMIN && other != OWNER;
      case CLIENT_OWNER -> other.level == Level.CLIENT;
      case MEMBER, CLIENT_MEMBER -> false;
    };
  }

  /** Whether an agency role held in a parent reaches into the parent's clients (every agency role does). */
  public boolean reachesClients() {
    return level == Level.AGENCY || level == Level.PLATFORM;
  }

  private static Set<String> without(Set<String> all, String removed) {
    return all.stream().filter(scope -> !scope.equals(removed)).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
