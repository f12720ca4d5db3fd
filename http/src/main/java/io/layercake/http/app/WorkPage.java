package io.layercake.http.app;

import io.layercake.http.api.Caller;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.session.ConversationListing;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * Reads the work page: pending approvals (oldest first) and the newest leads and booking requests
 * of the viewer's organization and its clients. Deciding goes through the REST API.
 */
public final class WorkPage {
  private static final int SHOWN = 100;

  private final ConversationListing listing;
  private final OrgDirectory directory;
  private final Executor executor;

  public WorkPage(ConversationListing listing, OrgDirectory directory, Executor executor) {
    this.listing = listing;
    this.directory = directory;
    this.executor = executor;
  }

  public CompletionStage<WorkView> view(Caller caller, String orgName, Instant now) {
    return directory.children(caller.orgId()).thenComposeAsync(children -> {
      Map<String, String> names = new LinkedHashMap<>();
      names.put(caller.orgId(), orgName);
      children.forEach(child -> names.put(child.orgId(), child.name()));
      List<String> orgIds = new ArrayList<>(names.keySet());
      CompletableFuture<List<ConversationListing.ApprovalRecord>> approvals =
          listing.approvals(orgIds, "pending", SHOWN).toCompletableFuture();
      CompletableFuture<List<ConversationListing.Lead>> leads = listing.leads(orgIds, null, SHOWN).toCompletableFuture();
      CompletableFuture<List<ConversationListing.BookingRequest>> bookings =
          listing.bookingRequests(orgIds, null, SHOWN).toCompletableFuture();
      return CompletableFuture.allOf(approvals, leads, bookings).thenApplyAsync(done -> {
        return new WorkView(caller.scopes().contains(Scopes.APPROVALS_WRITE),
            approvals.join().stream().map(approval -> new WorkView.Approval(approval.approvalId(),
                names.getOrDefault(approval.orgId(), approval.orgId()), approval.sessionId(), describe(approval),
                PageContext.ago(approval.requestedAt(), now))).toList(),
            leads.join().stream().map(lead -> new WorkView.Lead(lead.sessionId(), orEmpty(lead.name()),
                List.of(orEmpty(lead.phone()), orEmpty(lead.email())).stream().filter(part -> !part.isEmpty()).collect(Collectors.joining(", ")),
                orEmpty(lead.need()), PageContext.ago(lead.createdAt(), now))).toList(),
            bookings.join().stream().map(booking -> new WorkView.Booking(booking.id(), names.getOrDefault(booking.orgId(), booking.orgId()),
                booking.sessionId(), orEmpty(booking.service()), orEmpty(booking.requestedTime()), PageContext.ago(booking.createdAt(), now),
                booking.status(), booking.decidedAt() == null ? ""
                    : booking.decidedBy().replaceAll(" \\((user|key):[^)]*\\)$", "") + ", " + PageContext.ago(booking.decidedAt(), now)))
                .toList());
      }, executor);
    }, executor);
  }

  private static String describe(ConversationListing.ApprovalRecord approval) {
    if (approval.draft() != null && !approval.draft().isBlank()) {
      return "Draft reply: " + approval.draft();
    }
    return "Tool " + orEmpty(approval.toolName()) + " " + orEmpty(approval.arguments());
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
