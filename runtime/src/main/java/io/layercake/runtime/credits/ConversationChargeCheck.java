package io.layercake.runtime.credits;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cross-checks what each conversation says it was charged (its {@code creditsUsed}) against what the
 * ledger charged it. A conversation that still holds an open reservation (a turn in flight, or a
 * credit lease whose turns are charged when it is returned) is not settled yet: it is counted as
 * pending, not compared. Every other difference is a charge recorded twice, or not at all.
 */
public final class ConversationChargeCheck {
  private final Map<String, Long> charged = new HashMap<>();
  private final Map<String, String> chargingOrg = new HashMap<>();
  private final Set<String> unsettled = new HashSet<>();

  /** One organization's ledger: charges per conversation, and the conversations it holds reservations for. */
  public record Ledger(String orgId, Map<String, Long> chargedBySession, Set<String> unsettledSessions) {}

  /** What a conversation recorded: the organization it belongs to and the credits it says it used. */
  public record Recorded(String orgId, long creditsUsed) {}

  /** A conversation whose recorded charges differ from the ledger's ({@code orgId}: its own, else the charging pool's). */
  public record Difference(String sessionId, String orgId, long recorded, long charged) {}

  /** The outcome: conversations compared, pending (unsettled), and those that differ. */
  public record Outcome(int compared, int pending, List<Difference> differences) {
    public static final Outcome NOT_CHECKED = new Outcome(0, 0, List.of());
  }

  /** Adds one organization's ledger (a conversation's charges may come from its own and its parent's pool). */
  public ConversationChargeCheck add(Ledger ledger) {
    ledger.chargedBySession().forEach((sessionId, credits) -> {
      charged.merge(sessionId, credits, Long::sum);
      chargingOrg.putIfAbsent(sessionId, ledger.orgId());
    });
    unsettled.addAll(ledger.unsettledSessions());
    return this;
  }

  /** Compares with what the conversations recorded ({@code recorded} by session id; absent means nothing). */
  public Outcome compare(Map<String, Recorded> recorded) {
    Set<String> sessions = new HashSet<>(charged.keySet());
    sessions.addAll(recorded.keySet());
    List<Difference> differences = new ArrayList<>();
    int pending = 0;
    for (String sessionId : sessions) {
      if (unsettled.contains(sessionId)) {
        pending++;
        continue;
      }
      Recorded conversation = recorded.get(sessionId);
      long used = conversation == null ? 0 : conversation.creditsUsed();
      long ledger = charged.getOrDefault(sessionId, 0L);
      if (used != ledger) {
        String orgId = conversation == null ? chargingOrg.get(sessionId) : conversation.orgId();
        differences.add(new Difference(sessionId, orgId, used, ledger));
      }
    }
    differences.sort(Comparator.comparing(Difference::sessionId));
    return new Outcome(sessions.size() - pending, pending, differences);
  }
}
