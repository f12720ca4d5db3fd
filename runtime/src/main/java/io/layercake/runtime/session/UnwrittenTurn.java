package io.layercake.runtime.session;

import io.layercake.runtime.session.SessionEvent.AgentReplied;
import io.layercake.runtime.session.SessionEvent.TurnStarted;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation's turn that has started but is not written yet. A turn that only replies writes one
 * event: its start travels with its first write, folded into the reply when the reply is that first
 * write ({@link AgentReplied#started()}). Until then the conversation's handlers see {@link #view},
 * the state with the start applied. A crash before the first write loses nothing: the turn starts
 * again under the same number, and so under the same reservation.
 */
final class UnwrittenTurn {
  private TurnStarted started;
  private SessionState view;

  /** {@code started} begins now; {@code view} is the conversation's state with it applied. */
  void begin(TurnStarted turn, SessionState withTurn) {
    this.started = turn;
    this.view = withTurn;
  }

  /** The state the handlers work on: {@code written} as it is, or with the unwritten turn applied. */
  SessionState view(SessionState written) {
    return started == null ? written : view;
  }

  /** The events to write for {@code events}: the unwritten turn's start first (or folded into a leading reply), once. */
  List<SessionEvent> withStart(List<SessionEvent> events) {
    if (started == null) {
      return events;
    }
    TurnStarted start = started;
    started = null;
    view = null;
    List<SessionEvent> written = new ArrayList<>(events.size() + 1);
    if (!events.isEmpty() && events.get(0) instanceof AgentReplied reply && reply.started() == null) {
      written.add(reply.with(start, reply.settled()));
      written.addAll(events.subList(1, events.size()));
    } else {
      written.add(start);
      written.addAll(events);
    }
    return written;
  }
}
