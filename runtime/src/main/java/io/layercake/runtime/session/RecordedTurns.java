package io.layercake.runtime.session;

import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.session.SessionEvent.*;
import io.layercake.runtime.tools.Tool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A conversation's journal as the turns the agent answered. The events are applied as the
 * conversation applies them, so each turn's window is the one its model saw (the last start or
 * restart of the turn, which may have taken in later messages).
 */
public final class RecordedTurns {
  private RecordedTurns() {}

  public static List<RecordedTurn> of(String sessionId, List<SessionEvent> events) {
    SessionState state = SessionState.EMPTY;
    Map<Integer, Recording> turns = new LinkedHashMap<>();
    for (SessionEvent event : events) {
      List<SessionEvent> parts = event instanceof AgentReplied reply ? reply.parts() : List.of(event);
      for (SessionEvent part : parts) {
        state = state.apply(part);
        if ((part instanceof TurnStarted || part instanceof TurnRestarted) && state.turn() != null) {
          SessionState.Turn turn = state.turn();
          Recording recording = turns.computeIfAbsent(turn.number(), number -> new Recording());
          recording.started(state, turn, part.at());
        } else {
          Recording recording = turns.get(turnOf(part));
          if (recording != null) {
            recording.record(part);
          }
        }
      }
    }
    return turns.entrySet().stream()
        .map(entry -> entry.getValue().turn(sessionId, entry.getKey()))
        .toList();
  }

  private static int turnOf(SessionEvent event) {
    if (event instanceof ToolRan e) {
      return e.turn();
    }
    if (event instanceof AgentReplied e) {
      return e.turn();
    }
    if (event instanceof ApprovalRequested e) {
      return e.approval().turn();
    }
    if (event instanceof TurnFailed e) {
      return e.turn();
    }
    if (event instanceof TurnCancelled e) {
      return e.turn();
    }
    if (event instanceof CreditsRanOut e) {
      return e.turn();
    }
    if (event instanceof TurnSettled e) {
      return e.turn();
    }
    return -1;
  }

  /** What is known of one turn so far. */
  private static final class Recording {
    String channel;
    List<String> messageIds = List.of();
    String customerText = "";
    List<ConversationMessage> window = List.of();
    RecordedTurn.Outcome outcome = RecordedTurn.Outcome.UNFINISHED;
    String reply;
    final List<RecordedTurn.ToolCall> tools = new ArrayList<>();
    boolean handedOff;
    long credits;
    Long charged;
    Instant at;

    void started(SessionState state, SessionState.Turn turn, Instant when) {
      channel = state.profile() == null ? null : state.profile().channel();
      messageIds = turn.messageIds();
      customerText = turn.messages().stream().map(SessionState.Inbound::text).collect(Collectors.joining("\n"));
      window = state.window(turn);
      at = at == null ? when : at;
    }

    void record(SessionEvent event) {
      if (event instanceof ToolRan e) {
        tools.add(new RecordedTurn.ToolCall(e.name(), e.arguments()));
        handedOff |= e.done() && Tool.HANDOFF_TO_HUMAN.toolName().equals(e.name());
      } else if (event instanceof AgentReplied e) {
        outcome = RecordedTurn.Outcome.REPLIED;
        reply = e.text();
        credits = e.cost();
      } else if (event instanceof ApprovalRequested e && e.approval().kind() == ApprovalKind.REPLY) {
        outcome = RecordedTurn.Outcome.DRAFTED;
        reply = e.approval().draft();
      } else if (event instanceof TurnFailed) {
        outcome = RecordedTurn.Outcome.FAILED;
      } else if (event instanceof TurnCancelled) {
        outcome = outcome == RecordedTurn.Outcome.UNFINISHED ? RecordedTurn.Outcome.CANCELLED : outcome;
      } else if (event instanceof CreditsRanOut) {
        outcome = RecordedTurn.Outcome.NO_CREDITS;
      } else if (event instanceof TurnSettled e) {
        charged = e.charged();
      }
    }

    RecordedTurn turn(String sessionId, int number) {
      return new RecordedTurn(sessionId, number, channel, messageIds, customerText, window, outcome, reply, tools, handedOff,
          charged != null ? charged : credits, at);
    }
  }
}
