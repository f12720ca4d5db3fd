package io.layercake.http.feed;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.TimePaging;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.http.server.LiveCount;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.feed.BroadcastEntity;
import io.layercake.runtime.feed.Broadcasts;
import io.layercake.runtime.feed.Feed;
import io.layercake.runtime.notifications.Priority;
import io.layercake.runtime.people.Tokens;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The feed in the API: an organization's items newest first (broadcasts, activity, platform
 * messages) with comments and reactions, live; and broadcasts: an agency to its clients' people,
 * the platform to every organization, each one event fanned out by a projection.
 */
public final class FeedApiRoutes extends AllDirectives {
  /** The organization platform staff act in; its broadcasts reach every organization. */
  public static final String PLATFORM_ORG = "platform";
  private static final int MAX_PAGE = 100;
  private static final int MAX_TITLE = 200;
  private static final int MAX_BODY = 4000;
  private static final int MAX_COMMENT = 2000;

  private final ApiAccess access;
  private final Feed feed;
  private final Broadcasts broadcasts;
  private final OrgDirectory directory;
  private final Clock clock;

  public FeedApiRoutes(ApiAccess access, Feed feed, Broadcasts broadcasts, OrgDirectory directory, Clock clock) {
    this.access = access;
    this.feed = feed;
    this.broadcasts = broadcasts;
    this.directory = directory;
    this.clock = clock;
  }

  public record CommentView(String commentId, String authorName, String text, Instant createdAt) {}

  public record ItemView(String itemId, String orgId, String kind, String title, String body, String author, Instant createdAt,
      List<CommentView> comments, Map<String, Long> reactions, List<String> myReactions) {}

  public record FeedPage(String orgId, List<ItemView> items, String nextCursor) {}

  public record CommentBody(String text) {}

  public record Reactions(String itemId, Map<String, Long> reactions) {}

  public record BroadcastBody(String title, String body, String priority) {}

  public record BroadcastView(String broadcastId, String audience, String title, String priority, String author, Instant createdAt,
      long organizations) {}

  public record BroadcastList(List<BroadcastView> broadcasts) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_FEED, match -> access.inOrganization(caller, orgId -> page(caller, orgId))),
        access.operation(caller, ApiOperation.GET_FEED_ITEM, match -> visibleItem(caller, match.variable("itemId"), item ->
            complete(StatusCodes.OK, view(item), Json.marshaller()))),
        access.operation(caller, ApiOperation.COMMENT_ON_FEED_ITEM, match -> person(caller, person ->
            entity(Jackson.unmarshaller(Json.MAPPER, CommentBody.class), body -> visibleItem(caller, match.variable("itemId"), item ->
                body.text() == null || body.text().isBlank() || body.text().length() > MAX_COMMENT
                    ? ApiAccess.invalid("a comment has 1 to " + MAX_COMMENT + " characters")
                    : onSuccess(feed.comment(item.itemId(), person.user().userId(), person.user().name(), body.text().strip(),
                        clock.instant()), comment -> complete(StatusCodes.CREATED, new CommentView(comment.commentId(),
                        comment.authorName(), comment.text(), comment.createdAt()), Json.marshaller())))))),
        access.operation(caller, ApiOperation.REACT_TO_FEED_ITEM, match -> react(caller, match, true)),
        access.operation(caller, ApiOperation.UNREACT_TO_FEED_ITEM, match -> react(caller, match, false)),
        access.operation(caller, ApiOperation.STREAM_FEED_EVENTS, match -> person(caller, person ->
            !caller.scopes().contains(io.layercake.runtime.access.Scopes.ORGANIZATIONS_READ)
                ? ApiAccess.refuse(StatusCodes.FORBIDDEN, "missing_scope", "reading the feed needs organizations:read")
                : access.inOrganization(caller, orgId -> completeOK(LiveCount.stream("feed", "items", () -> feed.changeMark(orgId)
                .thenApply(mark -> new LiveCount.Reading(Long.parseLong(mark.substring(0, mark.indexOf(':'))), mark))),
                EventStreamMarshalling.toEventStream())))),
        access.operation(caller, ApiOperation.SEND_BROADCAST, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, BroadcastBody.class), body -> broadcast(caller, body))),
        access.operation(caller, ApiOperation.LIST_BROADCASTS, match -> onSuccess(feed.sentBy(caller.orgId(), MAX_PAGE),
            sent -> complete(StatusCodes.OK, new BroadcastList(sent.stream().map(FeedApiRoutes::view).toList()), Json.marshaller()))));
  }

  private Route page(Caller caller, String orgId) {
    String userId = caller.person().map(person -> person.user().userId()).orElse("");
    return TimePaging.read(20, MAX_PAGE, (after, size) -> onSuccess(feed.items(orgId,
            after.map(position -> new Feed.Cursor(position.at(), position.id())), size, userId),
        found -> complete(StatusCodes.OK, new FeedPage(orgId, found.items().stream().map(FeedApiRoutes::view).toList(),
            found.next().map(next -> TimePaging.next(next.createdAt(), next.itemId())).orElse(null)), Json.marshaller())));
  }

  private Route react(Caller caller, io.layercake.http.api.contract.ApiOperation.Match match, boolean on) {
    String reaction = match.variable("reaction");
    return person(caller, person -> !Feed.REACTIONS.contains(reaction)
        ? ApiAccess.invalid("a reaction is one of " + Feed.REACTIONS.stream().sorted().toList())
        : visibleItem(caller, match.variable("itemId"), item -> onSuccess(feed.react(item.itemId(), person.user().userId(), reaction, on,
            clock.instant()), counts -> complete(StatusCodes.OK, new Reactions(item.itemId(), counts), Json.marshaller()))));
  }

  private Route broadcast(Caller caller, BroadcastBody body) {
    if (body.title() == null || body.title().isBlank() || body.title().length() > MAX_TITLE) {
      return ApiAccess.invalid("title has 1 to " + MAX_TITLE + " characters");
    }
    if (body.body() != null && body.body().length() > MAX_BODY) {
      return ApiAccess.invalid("body has at most " + MAX_BODY + " characters");
    }
    Optional<Priority> priority = Optional.ofNullable(body.priority()).flatMap(Priority::parse);
    if (body.priority() != null && priority.isEmpty()) {
      return ApiAccess.invalid("priority is critical, high, normal or low, or absent for the feed only");
    }
    boolean platform = PLATFORM_ORG.equals(caller.orgId());
    if (priority.orElse(Priority.NORMAL) == Priority.CRITICAL && !platform) {
      return ApiAccess.refuse(StatusCodes.FORBIDDEN, "forbidden", "only the platform sends critical broadcasts");
    }
    return onSuccess(directory.find(caller.orgId()), organization -> {
      if (!platform && organization.map(OrgDirectory.OrgEntry::parentOrgId).orElse(null) != null) {
        return ApiAccess.refuse(StatusCodes.FORBIDDEN, "forbidden", "an agency broadcasts to its clients; a client has none");
      }
      BroadcastEntity.Audience audience = platform ? BroadcastEntity.Audience.EVERYONE : BroadcastEntity.Audience.CLIENTS;
      return onSuccess(broadcasts.send(Tokens.id("bc_"), caller.orgId(), audience, body.title().strip(),
              body.body() == null ? "" : body.body().strip(), priority.map(Priority::wireName).orElse(null), caller.actor()),
          sent -> complete(StatusCodes.ACCEPTED, new BroadcastView(sent.broadcastId(), audience.name().toLowerCase(java.util.Locale.ROOT),
              sent.broadcast().title(), sent.broadcast().priority(), sent.broadcast().author(), sent.broadcast().at(), 0),
              Json.marshaller()));
    });
  }

  private Route visibleItem(Caller caller, String itemId, Function<Feed.Item, Route> inner) {
    String userId = caller.person().map(person -> person.user().userId()).orElse("");
    return onSuccess(feed.item(itemId, userId), found -> found
        .map(item -> access.visible(caller, item.orgId(), "feed item " + itemId, () -> inner.apply(item)))
        .orElseGet(() -> ApiAccess.notFound("feed item " + itemId)));
  }

  /** {@code ?orgId=} a client's feed (one the caller can see), else the caller's own. */

  private static ItemView view(Feed.Item item) {
    return new ItemView(item.itemId(), item.orgId(), item.kind(), item.title(), item.body(), item.author(), item.createdAt(),
        item.comments().stream().map(comment -> new CommentView(comment.commentId(), comment.authorName(), comment.text(),
            comment.createdAt())).toList(), item.reactions(), item.mine());
  }

  private static BroadcastView view(Feed.SentBroadcast sent) {
    return new BroadcastView(sent.broadcastId(), sent.audience().name().toLowerCase(java.util.Locale.ROOT), sent.title(), sent.priority(),
        sent.author(), sent.createdAt(), sent.organizations());
  }

  private static Route person(Caller caller, Function<Caller.Person, Route> inner) {
    return ApiAccess.asPerson(caller, "comments, reactions and the live feed are people's; a key reads GET /feed", inner);
  }
}
