package io.layercake.http.webchat;

import io.layercake.config.Catalog;
import io.layercake.config.ChannelSettings;
import io.layercake.config.Tier;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.api.contract.OperationRoutes;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.ClientAddress;
import io.layercake.http.server.Json;
import io.layercake.http.server.ListedMessages;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.channel.WebchatEvent;
import io.layercake.runtime.channel.WebchatVisitors;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.limits.RateLimits;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The webchat API the widget talks to: the agent's public widget configuration, a visitor's
 * message (answered with the reply when the turn finishes in time, "accepted" otherwise), the
 * visitor's event stream (Server-Sent Events) for replies that come later, and the history.
 * Visitors are named by an opaque token that expires when idle; messages are rate limited per
 * visitor by the organization's tier; browsers may call it from the origins the agent allows.
 */
public final class WebchatRoutes extends AllDirectives {
  private static final int MAX_TEXT = 4_000;
  private static final int HISTORY = 50;
  private static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final ChannelSettings.Webchat settings;
  private final AgentDirectory agents;
  private final Organizations organizations;
  private final Catalog catalog;
  private final WebchatVisitors visitors;
  private final Sessions sessions;
  private final ConversationListing listing;
  private final WebchatHub hub;
  private final Executor executor;
  private final Clock clock;
  private final RateLimits rateLimits;
  private final ListedMessages listed;
  private final OperationRoutes operations;

  public WebchatRoutes(
      ChannelSettings.Webchat settings, AgentDirectory agents, Organizations organizations, Catalog catalog,
      WebchatVisitors visitors, Sessions sessions, ConversationListing listing, WebchatHub hub, RateLimits rateLimits,
      ListedMessages listed, OperationRoutes operations, Executor executor, Clock clock) {
    this.operations = operations;
    this.rateLimits = rateLimits;
    this.listed = listed;
    this.settings = settings;
    this.agents = agents;
    this.organizations = organizations;
    this.catalog = catalog;
    this.visitors = visitors;
    this.sessions = sessions;
    this.listing = listing;
    this.hub = hub;
    this.executor = executor;
    this.clock = clock;
  }

  /** {@code messageId} is optional: a client that sets it may retry the same message safely. */
  public record MessageBody(String agentId, String sessionToken, String text, String messageId) {}

  public record Reply(String id, String text, Instant at) {}

  /** What the widget shows for an agent. */
  public record WidgetConfig(String agentId, String name, String greeting, String brandColor, String position, boolean enabled) {}

  /** {@code status}: answered (with the reply), accepted (the reply comes by events), duplicate or refused. */
  /** A piece of a reply being written ({@code id}: the model call); {@code sofar}: the whole text so far, not a piece to add. */
  public record Piece(String id, String text, Instant at, boolean sofar) {}

  public record MessageAnswer(String sessionToken, String sessionId, String status, List<Reply> replies) {}

  /** {@code from}: visitor, agent or team (a person of the business). */
  public record HistoryMessage(String id, String from, String text, Instant at) {}

  public record History(List<HistoryMessage> messages) {}

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("webchat", () ->
        optionalHeaderValueByName("Origin", origin -> optionalHeaderValueByName("Host", host -> concat(
            options(() -> concat(
                pathPrefix("config", () -> path(agentId ->
                    preflight(origin, host, Optional.of(agentId), Optional.empty()))),
                parameterOptional("agentId", agentId -> parameterOptional("sessionToken", token ->
                    preflight(origin, host, agentId, token))))),
            operations.operation(ApiOperation.GET_WEBCHAT_CONFIG, match -> config(origin, host, match.variable("agentId"))),
            // the rate limit's address: X-Forwarded-For only from our own proxy, so a visitor cannot rotate it
            operations.operation(ApiOperation.SEND_WEBCHAT_MESSAGE, match -> extractRequest(request ->
                entity(Jackson.unmarshaller(Json.MAPPER, MessageBody.class), body ->
                    message(origin, host, ClientAddress.of(request), body)))),
            operations.operation(ApiOperation.STREAM_WEBCHAT_EVENTS, match ->
                parameter("sessionToken", token -> events(origin, host, token))),
            operations.operation(ApiOperation.GET_WEBCHAT_HISTORY, match ->
                parameter("sessionToken", token -> history(origin, host, token)))))))));
  }

  /**
   * Browsers ask before a cross-origin POST. The answer allows the origin only when the agent the request
   * is for allows it: the agent is named by the path ({@code /config/{agentId}}), by {@code ?agentId=} (the
   * widget adds it to its message URL) or by {@code ?sessionToken=}. A preflight from a foreign site, or one
   * that names no agent, is refused without any {@code Access-Control-Allow-*} header, so the browser never
   * sends the request.
   */
  private Route preflight(
      Optional<String> origin, Optional<String> host, Optional<String> agentId, Optional<String> token) {
    if (origin.isEmpty() || sameOrigin(origin.get(), host)) {
      return complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
    }
    CompletionStage<Optional<String>> agent = agentId.isPresent() || token.isEmpty() || token.get().length() > 128
        ? CompletableFuture.completedFuture(agentId)
        : visitors.find(token.get())
            .thenApply(found -> found.filter(this::fresh).map(WebchatVisitors.Visitor::agentId));
    CompletionStage<Boolean> allowed = agent.thenCompose(named -> named.isEmpty()
        ? CompletableFuture.completedFuture(false)
        : agents.get(named.get()).thenApply(found -> found instanceof AgentEntity.Agent known
            && known.status() != AgentEntity.Status.ARCHIVED && known.config().webchat().allows(origin.get())));
    return onSuccess(allowed, allows -> allows
            ? complete(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT).addHeaders(List.of(
                RawHeader.create("Access-Control-Allow-Origin", origin.get()),
                RawHeader.create("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                RawHeader.create("Access-Control-Allow-Headers", "Content-Type"),
                RawHeader.create("Access-Control-Max-Age", "600"),
                RawHeader.create("Vary", "Origin"))))
            : complete(originNotAllowed(origin.get())));
  }

  private static HttpResponse originNotAllowed(String origin) {
    return ErrorHandling.response(StatusCodes.FORBIDDEN, "origin_not_allowed",
        origin + " is not among the sites this agent's webchat may be embedded on");
  }

  private Route config(Optional<String> origin, Optional<String> host, String agentId) {
    return withAgent(agentId, agent -> cors(origin, host, agent.config().webchat(), () -> {
      AgentConfig config = agent.config();
      return complete(StatusCodes.OK, new WidgetConfig(agentId, config.name(),
          config.greeting() == null ? "Hi! How can I help?" : config.greeting(), config.webchat().brandColor(),
          config.webchat().position(), enabled(agent)), Json.marshaller());
    }));
  }

  private Route message(Optional<String> origin, Optional<String> host, String clientAddress, MessageBody body) {
    if (body.agentId() == null || body.text() == null || body.text().isBlank() || body.text().length() > MAX_TEXT
        || (body.messageId() != null && (body.messageId().isBlank() || body.messageId().length() > 128))) {
      return invalid("agentId and text (1 to " + MAX_TEXT + " characters) are required; messageId is at most 128 characters");
    }
    return withAgent(body.agentId(), agent -> cors(origin, host, agent.config().webchat(), () -> {
      if (!enabled(agent)) {
        return complete(ErrorHandling.response(StatusCodes.FORBIDDEN, "chat_disabled", "this agent's webchat is switched off"));
      }
      return onSuccess(visitor(agent, body.sessionToken()), visitor -> visitor.map(found -> send(found, clientAddress, body))
          .orElseGet(() -> complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "session_expired",
              "the session token is unknown or expired; send the message without it to start a new session"))));
    }));
  }

  /**
   * Rate limited per visitor, and per client address at twice that (a script that starts a new
   * visitor for every message still cannot spend the organization's credits faster).
   */
  private Route send(WebchatVisitors.Visitor visitor, String clientAddress, MessageBody body) {
    return onSuccess(organizations.summary(visitor.orgId()), summary -> {
      int perMinute = paid(summary) ? settings.paidMessagesPerMinute() : settings.freeMessagesPerMinute();
      int perAddress = 2 * perMinute;
      String visitorKey = visitor.agentId() + "|" + visitor.visitorId();
      CompletionStage<Optional<Route>> refusal = rateLimits.acquire(visitorKey, perMinute)
          .thenComposeAsync(visitorWait -> visitorWait.isPresent()
              ? CompletableFuture.completedFuture(visitorWait.map(wait ->
                  rateLimited(perMinute + " messages a minute in one conversation", wait)))
              : rateLimits.acquire("address|" + visitor.agentId() + "|" + clientAddress, perAddress)
                  .thenApply(addressWait -> addressWait.map(wait ->
                      rateLimited(perAddress + " messages a minute from one address", wait))), executor);
      return onSuccess(refusal, refused -> refused.orElseGet(() -> accept(visitor, body)));
    });
  }

  /** Names the limit that was reached, so a visitor (or a widget's developer) knows which one applies. */
  private Route rateLimited(String limit, Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return complete(ErrorHandling.response(StatusCodes.TOO_MANY_REQUESTS, "rate_limited",
            "at most " + limit + "; try again in " + seconds + " s")
        .addHeader(RawHeader.create("Retry-After", Long.toString(seconds))));
  }

  private Route accept(WebchatVisitors.Visitor visitor, MessageBody body) {
    String sessionId = new SessionKey(visitor.agentId(), WebchatChannel.CHANNEL, visitor.visitorId()).sessionId();
    String messageId = body.messageId() != null ? body.messageId() : "wc-" + UUID.randomUUID();
    CompletableFuture<WebchatEvent> reply = hub.next(sessionId, settings.replyTimeout());
    CompletionStage<MessageAnswer> answer = sessions.receive(new InboundMessage(visitor.orgId(), visitor.agentId(),
            WebchatChannel.CHANNEL, visitor.visitorId(), messageId, body.text()))
        .thenComposeAsync(received -> visitors.touch(visitor.token()).thenApply(touched -> received), executor)
        .thenComposeAsync(received -> {
          if (!(received instanceof SessionReply.Received accepted) || accepted.duplicate()) {
            reply.cancel(false);
            return CompletableFuture.completedFuture(view(visitor, sessionId, accepted(received), List.of()));
          }
          // a reply being written goes on over the visitor's event stream, which the answer lets it open
          return reply.handleAsync((event, timeout) -> event == null || event.delta()
              ? view(visitor, sessionId, "accepted", List.of())
              : view(visitor, sessionId, "answered", List.of(new Reply(event.outboundId(), event.text(), event.at()))), executor);
        }, executor);
    return onSuccess(answer, view -> complete(StatusCodes.OK, view, Json.marshaller()));
  }

  private static String accepted(SessionReply received) {
    return received instanceof SessionReply.Received ? "duplicate" : "refused";
  }

  private MessageAnswer view(WebchatVisitors.Visitor visitor, String sessionId, String status, List<Reply> replies) {
    return new MessageAnswer(visitor.token(), sessionId, status, replies);
  }

  private Route events(Optional<String> origin, Optional<String> host, String token) {
    return withVisitor(origin, host, token, (visitor, sessionId) -> {
      // a slow reader loses the oldest pieces of a reply being written first; the recorded reply comes last, whole
      Source<ServerSentEvent, NotUsed> stream = Source.<ServerSentEvent>queue(256, OverflowStrategy.dropHead())
          .mapMaterializedValue(queue -> {
            AutoCloseable registration = hub.follow(sessionId, event -> queue.offer(event.delta()
                    ? ServerSentEvent.create(Json.write(new Piece(event.outboundId(), event.text(), event.at(), false)), "delta")
                    : ServerSentEvent.create(Json.write(new Reply(event.outboundId(), event.text(), event.at())), "message",
                        event.outboundId())),
                sofar -> queue.offer(ServerSentEvent.create(
                    Json.write(new Piece(sofar.outboundId(), sofar.text(), sofar.at(), true)), "delta")));
            queue.watchCompletion().whenComplete((done, failure) -> closeQuietly(registration));
            return NotUsed.getInstance();
          })
          .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat);
      return completeOK(stream, EventStreamMarshalling.toEventStream());
    });
  }

  /** The last messages, once the read model lists all the conversation recorded (a reply just come back too). */
  private Route history(Optional<String> origin, Optional<String> host, String token) {
    return withVisitor(origin, host, token, (visitor, sessionId) -> onSuccess(listed.settled(sessionId)
        .thenComposeAsync(ready -> listing.messagesBefore(sessionId, Long.MAX_VALUE, HISTORY), executor), messages -> {
          List<HistoryMessage> last = new ArrayList<>();
          for (ConversationListing.MessageRecord message : messages) {
            last.add(new HistoryMessage(message.messageId(), message.direction().equals("inbound") ? "visitor"
                : message.kind().equals("human") ? "team" : "agent", message.text(), message.createdAt()));
          }
          return complete(StatusCodes.OK, new History(last), Json.marshaller());
        }));
  }

  // ---- helpers ----

  private Route withAgent(String agentId, Function<AgentEntity.Agent, Route> inner) {
    return onSuccess(agents.get(agentId), found -> found instanceof AgentEntity.Agent agent && agent.status() != AgentEntity.Status.ARCHIVED
        ? inner.apply(agent)
        : complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "agent_not_found", "no agent " + agentId)));
  }

  /** The visitor a token names, while it is not expired; a request without a token starts a new visitor. */
  private CompletionStage<Optional<WebchatVisitors.Visitor>> visitor(AgentEntity.Agent agent, String token) {
    if (token == null || token.isBlank()) {
      return visitors.create(agent.config().orgId(), agent.agentId()).thenApply(Optional::of);
    }
    return visitors.find(token).thenApply(found -> found.filter(visitor -> visitor.agentId().equals(agent.agentId()) && fresh(visitor)));
  }

  private Route withVisitor(Optional<String> origin, Optional<String> host, String token,
      java.util.function.BiFunction<WebchatVisitors.Visitor, String, Route> inner) {
    if (token.isBlank() || token.length() > 128) {
      return invalid("sessionToken is required");
    }
    return onSuccess(visitors.find(token), found -> {
      if (found.isEmpty() || !fresh(found.get())) {
        return complete(ErrorHandling.response(StatusCodes.UNAUTHORIZED, "session_expired", "the session token is unknown or expired"));
      }
      WebchatVisitors.Visitor visitor = found.get();
      return withAgent(visitor.agentId(), agent -> cors(origin, host, agent.config().webchat(), () -> inner.apply(visitor,
          new SessionKey(visitor.agentId(), WebchatChannel.CHANNEL, visitor.visitorId()).sessionId())));
    });
  }

  /** A browser on another site may call only when the agent allows its origin; the answer says so. */
  private Route cors(Optional<String> origin, Optional<String> host, AgentConfig.Webchat webchat, java.util.function.Supplier<Route> inner) {
    if (origin.isEmpty() || sameOrigin(origin.get(), host)) {
      return inner.get();
    }
    if (!webchat.allows(origin.get())) {
      return complete(originNotAllowed(origin.get()));
    }
    return respondWithHeaders(List.of(RawHeader.create("Access-Control-Allow-Origin", origin.get()), RawHeader.create("Vary", "Origin")),
        inner);
  }

  private static boolean sameOrigin(String origin, Optional<String> host) {
    return host.isPresent() && (origin.equals("http://" + host.get()) || origin.equals("https://" + host.get()));
  }

  private boolean fresh(WebchatVisitors.Visitor visitor) {
    return visitor.lastSeenAt().plus(settings.sessionIdleExpiry()).isAfter(clock.instant());
  }

  private static boolean enabled(AgentEntity.Agent agent) {
    return agent.status() == AgentEntity.Status.ACTIVE && agent.config().webchat().enabled();
  }

  private boolean paid(OrgEntity.Reply summary) {
    return summary instanceof OrgEntity.Accepted accepted
        && catalog.tier(accepted.summary().tier()).map(Tier::monthlyPriceCents).orElse(0L) > 0
        || summary instanceof OrgEntity.Accepted enterprise && "enterprise".equals(enterprise.summary().tier());
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }

  private static void closeQuietly(AutoCloseable registration) {
    try {
      registration.close();
    } catch (Exception e) {
      throw new IllegalStateException("unregistering a listener cannot fail", e);
    }
  }
}
