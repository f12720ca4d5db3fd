package io.layercake.http.app;

import io.layercake.http.feed.FeedApiRoutes;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.feed.Feed;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Reads what the feed page shows; comments, reactions and broadcasts go through the REST API. */
public final class FeedPage {
  private static final int SHOWN = 30;
  private static final Map<String, String> LABELS = Map.of("like", "👍", "love", "❤️", "celebrate", "🎉", "eyes", "👀");

  private final Feed feed;

  public FeedPage(Feed feed) {
    this.feed = feed;
  }

  public CompletionStage<FeedView> view(String orgId, String userId, PageContext page, Optional<OrgDirectory.OrgEntry> organization,
      Instant now) {
    boolean platform = FeedApiRoutes.PLATFORM_ORG.equals(orgId);
    boolean agency = organization.map(OrgDirectory.OrgEntry::parentOrgId).orElse(null) == null;
    boolean mayBroadcast = page.may(Scopes.ORGANIZATIONS_WRITE) && (platform || agency);
    CompletableFuture<Feed.Page> items = feed.items(orgId, Optional.empty(), SHOWN, userId).toCompletableFuture();
    CompletableFuture<List<Feed.SentBroadcast>> sent = mayBroadcast ? feed.sentBy(orgId, 10).toCompletableFuture()
        : CompletableFuture.completedFuture(List.of());
    return items.thenCombine(sent, (found, broadcasts) -> new FeedView(page.orgName(), found.items().stream()
        .map(item -> new FeedView.Item(item.itemId(), item.kind(), item.title(), item.body(), item.author() == null ? ""
            : item.author().replaceAll(" \\((user|key):[^)]*\\)$", ""), PageContext.ago(item.createdAt(), now),
            item.comments().stream().map(comment -> new FeedView.Comment(comment.authorName(), comment.text(),
                PageContext.ago(comment.createdAt(), now))).toList(),
            Feed.REACTIONS.stream().sorted().map(name -> new FeedView.Reaction(name, LABELS.get(name),
                item.reactions().getOrDefault(name, 0L), item.mine().contains(name))).toList()))
        .toList(), mayBroadcast, platform, broadcasts.stream().map(broadcast -> new FeedView.Sent(broadcast.title(),
            broadcast.audience().name().toLowerCase(java.util.Locale.ROOT), PageContext.ago(broadcast.createdAt(), now),
            broadcast.organizations())).toList()));
  }
}
