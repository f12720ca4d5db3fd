package io.layercake.http.app;

import java.util.List;

/**
 * What the team page shows of one organization: its members (with the roles the viewer could give
 * each instead, empty where the viewer may not touch them), its invitations, its API keys, and its
 * webhook subscriptions with their delivery logs, and its canned replies.
 */
public record TeamView(String orgId, boolean mayManage, boolean mayManageKeys, List<Member> members, List<Invitation> invitations,
    List<String> invitableRoles, List<Key> keys, List<String> grantableScopes, boolean mayManageWebhooks, List<Webhook> webhooks,
    List<String> eventTypes, boolean mayManageReplies, List<CannedReply> cannedReplies) {

  /** A reply kept ready, as the inbox offers it. */
  public record CannedReply(String replyId, String title, String text, String createdBy) {}

  /** A webhook subscription with its latest deliveries, newest first. */
  public record Webhook(String subscriptionId, String url, String eventTypes, String created, List<Delivery> deliveries) {}

  public record Delivery(long eventId, String type, String status, int attempts, String response, String when) {}

  public record Member(String userId, String name, String email, String role, String addedBy, List<String> grantable) {}

  public record Invitation(String invitationId, String email, String role, String status, String expires) {}

  public record Key(String keyId, String name, String scopes, String createdBy, boolean revoked) {}
}
