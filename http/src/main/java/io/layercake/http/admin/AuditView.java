package io.layercake.http.admin;

import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.runtime.credits.LedgerAudit;
import java.util.List;

/** The ledger audit as the API and the command line show it. */
public record AuditView(boolean clean, int organizations, List<LedgerAudit.Finding> violations) {
  public static AuditView of(JournalLedgerAudit.Report report) {
    return new AuditView(report.clean(), report.organizations(), report.violations());
  }
}
