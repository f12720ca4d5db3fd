package io.layercake.http.app;

import java.util.List;

/** What is waiting for people across the organizations the viewer sees: approvals, leads, booking requests. */
public record WorkView(boolean mayDecide, List<Approval> approvals, List<Lead> leads, List<Booking> bookings) {

  public record Approval(String approvalId, String orgName, String sessionId, String what, String requested) {}

  public record Lead(String sessionId, String name, String contact, String need, String created) {}

  /** {@code status}: requested, accepted or declined; {@code decided}: by whom and when, once decided. */
  public record Booking(long id, String orgName, String sessionId, String service, String requestedTime, String created, String status,
      String decided) {}
}
