package io.layercake.http.app;

import io.layercake.http.api.Caller;
import io.layercake.http.api.PeopleApiRoutes;
import io.layercake.runtime.access.ApiKeys;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.notify.Webhooks;
import io.layercake.runtime.people.Invitations;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Reads what the team page shows (members, invitations, API keys, webhook subscriptions with their
 * deliveries, canned replies); every change on it goes through the REST API, so the same rules hold.
 */
public final class TeamPage {
  private static final int DELIVERIES_SHOWN = 10;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final People people;
  private final Invitations invitations;
  private final ApiKeys keys;
  private final Webhooks webhooks;
  private final CannedReplies cannedReplies;
  private final Clock clock;
  private final Executor executor;

  public TeamPage(People people, Invitations invitations, ApiKeys keys, Webhooks webhooks, CannedReplies cannedReplies, Clock clock,
      Executor executor) {
    this.webhooks = webhooks;
    this.cannedReplies = cannedReplies;
    this.people = people;
    this.invitations = invitations;
    this.keys = keys;
    this.clock = clock;
    this.executor = executor;
  }

  public CompletionStage<TeamView> view(Caller caller, Caller.Person person, Optional<OrgDirectory.OrgEntry> organization) {
    String orgId = caller.orgId();
    Role.Level level = PeopleApiRoutes.PLATFORM_ORG.equals(orgId) ? Role.Level.PLATFORM
        : organization.map(OrgDirectory.OrgEntry::parentOrgId).orElse(null) == null ? Role.Level.AGENCY : Role.Level.CLIENT;
    boolean mayManage = caller.scopes().contains(Scopes.MEMBERS_WRITE);
    boolean mayManageKeys = caller.scopes().contains(Scopes.KEYS_WRITE);
    // least access first: the invite form's default is the smallest role
    List<String> grantable = new java.util.ArrayList<>(Arrays.stream(Role.values())
        .filter(role -> role.level() == level && person.role().mayGrant(role)).map(Role::wireName).toList());
    java.util.Collections.reverse(grantable);
    CompletableFuture<List<People.Member>> members = people.members(orgId).toCompletableFuture();
    CompletableFuture<List<Invitations.Invitation>> invited = invitations.list(orgId).toCompletableFuture();
    CompletableFuture<List<ApiKeys.ApiKey>> apiKeys = mayManageKeys
        ? keys.list(orgId).toCompletableFuture() : CompletableFuture.completedFuture(List.of());
    boolean mayManageWebhooks = caller.scopes().contains(Scopes.WEBHOOKS_WRITE);
    CompletableFuture<List<TeamView.Webhook>> subscriptions = mayManageWebhooks
        ? webhooks(orgId).toCompletableFuture() : CompletableFuture.completedFuture(List.of());
    boolean mayManageReplies = caller.scopes().contains(Scopes.CONVERSATIONS_WRITE);
    CompletableFuture<List<CannedReplies.CannedReply>> replies = cannedReplies.of(List.of(orgId)).toCompletableFuture();
    return CompletableFuture.allOf(members, invited, apiKeys, subscriptions, replies).thenApplyAsync(done -> {
      Instant now = clock.instant();
      return new TeamView(orgId, mayManage, mayManageKeys,
          members.join().stream().map(member -> new TeamView.Member(member.user().userId(), member.user().name(), member.user().email(),
              member.membership().role().wireName(), member.membership().createdBy(),
              mayManage && person.role().mayGrant(member.membership().role()) ? grantable : List.of())).toList(),
          invited.join().stream().map(invitation -> new TeamView.Invitation(invitation.invitationId(), invitation.email(),
              invitation.role().wireName(), invitation.status(now).name().toLowerCase(java.util.Locale.ROOT),
              DAY.format(invitation.expiresAt()))).toList(),
          grantable,
          apiKeys.join().stream().map(key -> new TeamView.Key(key.keyId(), key.name(), String.join(", ", key.scopes().stream().sorted().toList()),
              key.createdBy(), key.revokedAt() != null)).toList(),
          caller.scopes().stream().sorted().toList(),
          mayManageWebhooks, subscriptions.join(), Webhooks.TYPES.stream().sorted().toList(), mayManageReplies,
          replies.join().stream().map(reply -> new TeamView.CannedReply(reply.replyId(), reply.title(), reply.text(),
              reply.createdBy().replaceAll(" \\((user|key):[^)]*\\)$", ""))).toList());
    }, executor);
  }

  private CompletionStage<List<TeamView.Webhook>> webhooks(String orgId) {
    return webhooks.subscriptions(orgId).thenComposeAsync(found -> {
      List<CompletableFuture<TeamView.Webhook>> each = found.stream().map(subscription -> webhooks
          .deliveries(subscription.subscriptionId(), DELIVERIES_SHOWN)
          .thenApply(deliveries -> new TeamView.Webhook(subscription.subscriptionId(), subscription.url(),
              subscription.eventTypes().isEmpty() ? "every event" : String.join(", ", subscription.eventTypes().stream().sorted().toList()),
              DAY.format(subscription.createdAt()),
              deliveries.stream().map(delivery -> new TeamView.Delivery(delivery.eventId(), delivery.type(), delivery.status(),
                  delivery.attempts(), response(delivery),
                  delivery.deliveredAt() != null ? DAY.format(delivery.deliveredAt())
                      : delivery.nextAttemptAt() == null ? "" : "next try " + DAY.format(delivery.nextAttemptAt()))).toList()))
          .toCompletableFuture()).toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
          .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }, executor);
  }

  private static String response(Webhooks.Delivery delivery) {
    if (delivery.lastStatusCode() != null) {
      return "HTTP " + delivery.lastStatusCode();
    }
    return delivery.lastError() == null ? "" : delivery.lastError();
  }
}
