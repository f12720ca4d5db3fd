package io.layercake.persistence.conversations;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.SessionWaker;
import io.layercake.runtime.session.Sessions;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The conversations of a node: the session entities (through {@link Sessions}), the read model's
 * projection and queries, and the waker that resumes conversations with overdue work (a cluster
 * singleton). The session entity type must already be registered with sharding.
 */
public record Conversations(Sessions sessions, ConversationListing listing) {

  public static Conversations start(ActorSystem<?> system, LayercakeSettings settings, ApplicationDatabase database) {
    Sessions sessions = new Sessions(system, settings.entities());
    ConversationProjection.init(system, database, settings.sessions().wakeGrace(), settings.projections());
    ClusterSingleton.get(system).init(SingletonActor.of(
        Behaviors.supervise(SessionWaker.create(new JdbcSessionWakeups(database), sessions::wake,
                settings.sessions().wakeInterval(), settings.sessions().wakeGrace(), Clock.systemUTC()))
            .onFailure(SupervisorStrategy.restart()),
        "session-waker"));
    return new Conversations(sessions, new JdbcConversationListing(database));
  }
}
