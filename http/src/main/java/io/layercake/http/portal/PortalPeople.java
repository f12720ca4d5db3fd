package io.layercake.http.portal;

import io.layercake.http.api.Caller;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.notifications.Channel;
import io.layercake.runtime.notifications.HandoffContacts;
import io.layercake.runtime.notifications.Notifications;
import io.layercake.runtime.notifications.Preferences;
import io.layercake.runtime.people.Invitations;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Reads what the portal shows of the client's people: its team, its hand-off contacts, and one person's notification choices. */
final class PortalPeople {
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  /** The channels a person reaches from the portal: email always, Pushover with a key. */
  private static final List<Channel> CHANNELS = List.of(Channel.EMAIL, Channel.PUSHOVER);

  private final People people;
  private final Invitations invitations;
  private final HandoffContacts handoffContacts;
  private final Notifications notifications;
  private final Clock clock;
  private final Executor executor;

  PortalPeople(People people, Invitations invitations, HandoffContacts handoffContacts, Notifications notifications, Clock clock,
      Executor executor) {
    this.people = people;
    this.invitations = invitations;
    this.handoffContacts = handoffContacts;
    this.notifications = notifications;
    this.clock = clock;
    this.executor = executor;
  }

  CompletionStage<PortalTeam> team(Caller caller, String orgId) {
    Role viewer = caller.person().orElseThrow().role();
    boolean mayManage = caller.scopes().contains(Scopes.MEMBERS_WRITE) && viewer.mayGrant(Role.CLIENT_OWNER);
    return people.members(orgId).thenCombineAsync(invitations.list(orgId), (members, invited) -> {
      Instant now = clock.instant();
      return new PortalTeam(mayManage,
          members.stream().map(member -> new PortalTeam.Member(member.user().userId(), member.user().name(), member.user().email(),
              member.membership().role().wireName(), mayManage && !member.user().userId().equals(caller.person().get().user().userId())))
              .toList(),
          invited.stream().filter(invitation -> invitation.status(now) == Invitations.Invitation.Status.PENDING)
              .map(invitation -> new PortalTeam.Invitation(invitation.invitationId(), invitation.email(), invitation.role().wireName(),
                  invitation.status(now).name().toLowerCase(Locale.ROOT), DAY.format(invitation.expiresAt())))
              .toList());
    }, executor);
  }

  CompletionStage<PortalAlerts> alerts(Caller caller, String orgId) {
    String userId = caller.person().orElseThrow().user().userId();
    CompletableFuture<List<People.Member>> members = people.members(orgId).toCompletableFuture();
    CompletableFuture<List<String>> chosen = handoffContacts.of(orgId).toCompletableFuture();
    CompletableFuture<Preferences> preferences = notifications.preferences(userId).toCompletableFuture();
    CompletableFuture<Boolean> pushover = notifications.hasPushoverKey(userId).toCompletableFuture();
    return CompletableFuture.allOf(members, chosen, preferences, pushover).thenApplyAsync(done -> {
      Set<String> contacts = new HashSet<>(chosen.join());
      List<PortalAlerts.MyChannel> mine = CHANNELS.stream()
          .filter(channel -> channel != Channel.PUSHOVER || pushover.join())
          .map(channel -> new PortalAlerts.MyChannel(channel.wireName(), channel == Channel.EMAIL ? "Email" : "Pushover",
              choice(preferences.join().choices().getOrDefault(orgId, Map.of()).get(channel))))
          .toList();
      return new PortalAlerts(caller.scopes().contains(Scopes.MEMBERS_WRITE),
          members.join().stream().map(member -> new PortalAlerts.Contact(member.user().userId(), member.user().name(),
              member.user().email(), contacts.contains(member.user().userId()))).toList(), mine);
    }, executor);
  }

  /** The person's own choice for the client, not the one for all organizations: the form changes this one. */
  private static String choice(Boolean enabled) {
    return enabled == null ? "default" : enabled ? "on" : "off";
  }
}
