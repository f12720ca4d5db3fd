package io.layercake.http.admin;

import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.runtime.credits.ConversationChargeCheck;
import io.layercake.runtime.credits.LedgerAudit;
import java.util.List;

/**
 * The ledger audit as the API and the command line show it: the organizations whose ledger breaks
 * its rules, and the conversations whose recorded charges differ from what the ledger charged them
 * ({@code conversationsPending}: still holding credits, not compared).
 */
public record AuditView(
    boolean clean, int organizations, List<LedgerAudit.Finding> violations, int conversationsCompared,
    int conversationsPending, List<ConversationChargeCheck.Difference> chargeDifferences) {
  public static AuditView of(JournalLedgerAudit.Report report) {
    ConversationChargeCheck.Outcome conversations = report.conversations();
    return new AuditView(report.clean(), report.organizations(), report.violations(), conversations.compared(),
        conversations.pending(), conversations.differences());
  }
}
