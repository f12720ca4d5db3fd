package io.layercake.runtime.messages;

import io.layercake.runtime.people.Role;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may write to whom. Two people are related when they share an organization, or one works for
 * the agency of the other's client (every agency role reaches its clients: an agency owner can write
 * to every client). Anyone else is another organization: allowed only when both organizations
 * allow cross-organization messages. Then the recipient's own rule applies (everyone in their
 * organizations, only their agency, nobody), and a block either way refuses.
 */
public final class MessagingPolicy {
  private MessagingPolicy() {}

  /** Who may start writing to a person. */
  public enum WhoMayMessage {
    /** Everyone related to me, and other organizations' people when both organizations allow it. */
    EVERYONE,
    /** Only the people of my agency (for agency staff: their own agency). */
    MY_AGENCY,
    NOBODY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WhoMayMessage> parse(String wireName) {
      return Arrays.stream(values()).filter(rule -> rule.wireName().equals(wireName)).findFirst();
    }
  }

  /** Where a person is a member: the organization, its agency (null for an agency), their role there. */
  public record Place(String orgId, String parentOrgId, Role role) {}

  /** Everything the decision needs about one person. */
  public record Person(String userId, List<Place> places, WhoMayMessage whoMayMessage, Set<String> blocked,
      boolean anyOrganizationAllowsCrossOrg) {
    public Person {
      places = List.copyOf(places);
      blocked = Set.copyOf(blocked);
    }
  }

  public record Decision(boolean allowed, String reason) {
    static Decision allow() {
      return new Decision(true, "");
    }

    static Decision refuse(String reason) {
      return new Decision(false, reason);
    }
  }

  public static Decision decide(Person sender, Person recipient) {
    if (sender.userId().equals(recipient.userId())) {
      return Decision.refuse("a message goes to someone else");
    }
    if (recipient.blocked().contains(sender.userId())) {
      return Decision.refuse("this person does not take messages from you");
    }
    if (sender.blocked().contains(recipient.userId())) {
      return Decision.refuse("you blocked this person; unblock them to write");
    }
    if (recipient.whoMayMessage() == WhoMayMessage.NOBODY) {
      return Decision.refuse("this person takes no direct messages");
    }
    boolean related = related(sender, recipient);
    if (recipient.whoMayMessage() == WhoMayMessage.MY_AGENCY && !ofTheirAgency(sender, recipient)) {
      return Decision.refuse("this person takes messages from their agency only");
    }
    if (!related && !(sender.anyOrganizationAllowsCrossOrg() && recipient.anyOrganizationAllowsCrossOrg())) {
      return Decision.refuse("you are in different organizations, and messages across organizations are not allowed by both");
    }
    return Decision.allow();
  }

  private static boolean related(Person one, Person other) {
    for (Place mine : one.places()) {
      for (Place theirs : other.places()) {
        boolean sameOrganization = mine.orgId().equals(theirs.orgId());
        boolean iServeTheirs = mine.orgId().equals(theirs.parentOrgId()) && mine.role().reachesClients();
        boolean theyServeMine = theirs.orgId().equals(mine.parentOrgId()) && theirs.role().reachesClients();
        if (sameOrganization || iServeTheirs || theyServeMine) {
          return true;
        }
      }
    }
    return false;
  }

  /** The sender works for the recipient's agency: the agency itself for agency staff, the client's parent for a client's people. */
  private static boolean ofTheirAgency(Person sender, Person recipient) {
    for (Place theirs : recipient.places()) {
      String agency = theirs.parentOrgId() != null ? theirs.parentOrgId() : theirs.orgId();
      for (Place mine : sender.places()) {
        if (mine.orgId().equals(agency) && mine.role().reachesClients()) {
          return true;
        }
      }
    }
    return false;
  }
}
