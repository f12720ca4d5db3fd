package io.layercake.http.replays;

import io.layercake.config.LayercakeSettings;
import io.layercake.http.api.ApiAccess;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.journal.JournalInspector;
import io.layercake.persistence.replays.JdbcReplays;
import io.layercake.runtime.agent.AgentDirectory;
import io.layercake.runtime.agent.AgentResponder;
import io.layercake.runtime.replay.CandidateTurns;
import io.layercake.runtime.replay.ReplayPlanner;
import io.layercake.runtime.replay.ReplayRunner;
import io.layercake.runtime.session.ConversationListing;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/** Replays wired: their tables, the planner that starts one, the runner (a cluster singleton), and their routes. */
public final class ReplayComponents {
  private final JdbcReplays replays;
  private final ReplayPlanner planner;
  private final long defaultBudget;

  private ReplayComponents(JdbcReplays replays, ReplayPlanner planner, long defaultBudget) {
    this.replays = replays;
    this.planner = planner;
    this.defaultBudget = defaultBudget;
  }

  public static ReplayComponents start(ActorSystem<?> system, LayercakeSettings settings, ApplicationDatabase database,
      JournalInspector journal, ConversationListing listing, AgentResponder responder) {
    JdbcReplays replays = new JdbcReplays(database);
    CandidateTurns candidates = new CandidateTurns(responder, settings.catalog().costs(), settings.sessions().maxToolRounds(),
        Clock.systemUTC(), system.executionContext());
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(ReplayRunner.create(replays, candidates, settings.agents().replays(), Clock.systemUTC()))
            .onFailure(SupervisorStrategy.restart()),
        "replay-runner").withStopMessage(ReplayRunner.STOP));
    ReplayPlanner planner = new ReplayPlanner(listing, journal::recordedTurns, replays,
        settings.agents().replays(), Clock.systemUTC(), system.executionContext());
    return new ReplayComponents(replays, planner, settings.agents().replays().defaultBudget());
  }

  public ReplayApiRoutes api(ApiAccess access, AgentDirectory agents) {
    return new ReplayApiRoutes(access, agents, planner, replays, defaultBudget, Clock.systemUTC());
  }

  public JdbcReplays replays() {
    return replays;
  }

  public ReplayPlanner planner() {
    return planner;
  }
}
