package io.layercake.http.admin;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.http.server.Json;
import io.layercake.persistence.journal.JournalInspector;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.credits.Organizations;
import io.layercake.runtime.session.Sessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What operators look at to see what an actor did and why: persistence ids, an entity's journal,
 * its live state from the entity itself, a conversation's timeline, and the cluster.
 */
public final class OperatorRoutes extends AllDirectives {
  private static final Set<String> TYPES = Set.of("Org", "Agent", "Session");
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final JournalInspector journal;
  private final Organizations organizations;
  private final AgentDirectory agents;
  private final Sessions sessions;
  private final List<EntityTypeKey<?>> entityTypes;

  public OperatorRoutes(ActorSystem<?> system, JournalInspector journal, Organizations organizations, AgentDirectory agents,
      Sessions sessions, List<EntityTypeKey<?>> entityTypes) {
    this.system = system;
    this.journal = journal;
    this.organizations = organizations;
    this.agents = agents;
    this.sessions = sessions;
    this.entityTypes = List.copyOf(entityTypes);
  }

  public Route routes() {
    return concat(
        path("persistence-ids", () -> get(() -> parameterOptional("type", type -> parameterOptional("after", after ->
            parameterOptional("limit", limit -> {
              if (type.isPresent() && !TYPES.contains(type.get()) || limit.isPresent() && !limit.get().matches("[1-9]\\d{0,3}")) {
                return invalid("type is one of " + TYPES.stream().sorted().toList() + "; limit a number from 1 to 1000");
              }
              return onSuccess(journal.persistenceIds(type.orElse(null), after.orElse(null), limit.map(Integer::parseInt).orElse(100)),
                  ids -> complete(StatusCodes.OK, Map.of("persistenceIds", ids,
                      "nextAfter", ids.isEmpty() ? "" : ids.get(ids.size() - 1)), Json.marshaller()));
            }))))),
        pathPrefix("journal", () -> path(persistenceId -> get(() -> parameterOptional("from", from -> parameterOptional("to", to -> {
          if (from.isPresent() && !from.get().matches("\\d{1,18}") || to.isPresent() && !to.get().matches("\\d{1,18}")) {
            return invalid("from and to are sequence numbers");
          }
          return onSuccess(journal.events(persistenceId, from.map(Long::parseLong).orElse(0L), to.map(Long::parseLong).orElse(Long.MAX_VALUE)),
              events -> events.isEmpty() && from.isEmpty()
                  ? complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", "no events for " + persistenceId))
                  : complete(StatusCodes.OK, Map.of("persistenceId", persistenceId, "events", events), Json.marshaller()));
        }))))),
        pathPrefix("entities", () -> pathPrefix(type -> pathPrefix(id -> concat(
            path("state", () -> get(() -> state(type, id))),
            path("node", () -> get(() -> node(type, id))))))),
        pathPrefix("conversations", () -> pathPrefix(sessionId -> path("timeline", () -> get(() ->
            onSuccess(journal.timeline(sessionId), steps -> steps.isEmpty()
                ? complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", "no conversation " + sessionId))
                : complete(StatusCodes.OK, Map.of("sessionId", sessionId, "steps", steps), Json.marshaller())))))),
        path("cluster", () -> get(() -> onSuccess(cluster(), view -> complete(StatusCodes.OK, view, Json.marshaller())))));
  }

  /** The live state, asked of the entity itself; 404 when the entity says it does not exist. */
  private Route state(String type, String id) {
    CompletionStage<Object> reply = switch (type) {
      case "Org" -> organizations.balance(id).thenCombine(organizations.summary(id), (balance, summary) ->
          balance instanceof io.layercake.runtime.credits.OrgEntity.Rejected ? balance : Map.of("summary", summary, "balance", balance));
      case "Agent" -> agents.get(id).thenApply(found -> (Object) found);
      case "Session" -> sessions.conversation(id).thenApply(found -> (Object) found);
      default -> null;
    };
    if (reply == null) {
      return invalid("type is one of " + TYPES.stream().sorted().toList());
    }
    return onSuccess(reply, state -> missing(state)
        ? complete(ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", "no " + type + " " + id))
        : complete(StatusCodes.OK, Map.of("type", type, "id", id, "state", state), Json.marshaller()));
  }

  /**
   * Which node holds the entity's shard now (an operator finding the node that holds an organization);
   * {@code node} is null while the shard is not allocated anywhere (nothing asked for it yet, or it is moving).
   */
  private Route node(String type, String id) {
    Optional<EntityTypeKey<?>> entityType = entityTypes.stream().filter(key -> key.name().equals(type)).findFirst();
    if (entityType.isEmpty()) {
      return invalid("type is one of " + entityTypes.stream().map(EntityTypeKey::name).sorted().toList());
    }
    String shard = new HashCodeMessageExtractor<>(ClusterShardingSettings.create(system).numberOfShards()).shardId(id);
    CompletionStage<Map<String, Object>> located = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(entityType.get(), STATS_TIMEOUT, replyTo), STATS_TIMEOUT.plusSeconds(1), system.scheduler())
        .thenApply(stats -> {
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("type", type);
          view.put("id", id);
          view.put("shard", shard);
          view.put("node", stats.getRegions().entrySet().stream()
              .filter(region -> region.getValue().getStats().containsKey(shard))
              .map(region -> region.getKey().toString()).findFirst().orElse(null));
          return view;
        });
    return onSuccess(located, view -> complete(StatusCodes.OK, view, Json.marshaller()));
  }

  private static boolean missing(Object state) {
    return state instanceof io.layercake.runtime.credits.OrgEntity.Rejected
        || state instanceof io.layercake.runtime.agent.AgentEntity.Rejected rejected && rejected.reason()
            == io.layercake.runtime.agent.AgentEntity.Reason.NOT_FOUND
        || state instanceof io.layercake.runtime.session.SessionReply.Rejected;
  }

  private CompletionStage<Map<String, Object>> cluster() {
    Cluster cluster = Cluster.get(system);
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member member : cluster.state().getMembers()) {
      members.add(Map.of("address", member.address().toString(), "status", member.status().toString(),
          "roles", List.copyOf(member.getRoles())));
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("self", cluster.selfMember().address().toString());
    view.put("leader", cluster.state().getLeader() == null ? null : cluster.state().getLeader().toString());
    view.put("members", members);
    Map<String, Object> shards = new LinkedHashMap<>();
    CompletableFuture<?>[] asks = entityTypes.stream().map(type -> AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.ClusterShardingStats>ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(type, STATS_TIMEOUT, replyTo), STATS_TIMEOUT.plusSeconds(1), system.scheduler())
        .thenAccept(stats -> {
          Map<String, Object> regions = new LinkedHashMap<>();
          stats.getRegions().forEach((address, region) -> regions.put(address.toString(),
              Map.of("shards", region.getStats().size(),
                  "entities", region.getStats().values().stream().mapToInt(value -> ((Number) value).intValue()).sum(),
                  "shardIds", region.getStats().keySet().stream().sorted().toList())));
          synchronized (shards) {
            shards.put(type.name(), regions);
          }
        }).toCompletableFuture()).toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(asks).thenApply(done -> {
      view.put("sharding", shards);
      return view;
    });
  }

  private Route invalid(String message) {
    return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", message));
  }
}
