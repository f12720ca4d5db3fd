package io.layercake.http.api;

import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.credits.CreditReports;
import io.layercake.runtime.outreach.ReviewLinks;
import io.layercake.runtime.session.ConversationListing;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * An agency's clients with what needs attention in each, for the API ({@code /organizations/children})
 * and the agency's home page: conversations active today and this month, those handed to a person,
 * leads and booking requests this month, credits used this month, the last activity.
 */
public final class ClientOverview {
  /** Most waiting hand-offs first, then the most recent activity. */
  public static final Comparator<ClientView> BY_ATTENTION = Comparator.comparingLong(ClientView::waitingForAPerson).reversed()
      .thenComparing(ClientView::lastActivityAt, Comparator.nullsLast(Comparator.reverseOrder()))
      .thenComparing(ClientView::id);

  private final OrgDirectory directory;
  private final ReviewLinks reviews;
  private final ConversationListing conversations;
  private final CreditReports reports;
  private final Clock clock;
  private final Executor executor;

  public ClientOverview(OrgDirectory directory, ConversationListing conversations, CreditReports reports, ReviewLinks reviews, Clock clock,
      Executor executor) {
    this.directory = directory;
    this.reviews = reviews;
    this.conversations = conversations;
    this.reports = reports;
    this.clock = clock;
    this.executor = executor;
  }

  /** {@code reviewLinksFollowedThisMonth}: of the review requests sent this month, those whose link was followed. */
  public record ClientView(String id, String name, String parentOrgId, Instant openedAt, long conversations,
      long creditsUsedThisMonth, long activeToday, long activeThisMonth, long waitingForAPerson, long leadsThisMonth,
      long bookingRequestsThisMonth, long reviewRequestsThisMonth, long reviewLinksFollowedThisMonth, Instant lastActivityAt) {}

  /** The clients listed, in their order. */
  public CompletionStage<List<ClientView>> clients(List<OrgDirectory.OrgEntry> children) {
    List<CompletableFuture<ClientView>> views = children.stream().map(child -> client(child.orgId()).toCompletableFuture()).toList();
    return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
        .thenApply(done -> views.stream().map(CompletableFuture::join).toList());
  }

  public CompletionStage<ClientView> client(String orgId) {
    ZonedDateTime today = clock.instant().atZone(ZoneOffset.UTC);
    Instant dayStart = today.toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant monthStart = YearMonth.from(today).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    CompletableFuture<Optional<OrgDirectory.OrgEntry>> entry = directory.find(orgId).toCompletableFuture();
    CompletableFuture<Long> count = conversations.count(orgId).toCompletableFuture();
    CompletableFuture<ConversationListing.ClientActivity> found = conversations.activity(List.of(orgId), dayStart, monthStart)
        .thenApply(activity -> activity.getOrDefault(orgId, ConversationListing.ClientActivity.none(orgId))).toCompletableFuture();
    CompletableFuture<Long> used = reports.usageByAgent(orgId, monthStart, clock.instant().plusSeconds(1))
        .thenApply(usage -> usage.stream().mapToLong(CreditReports.AgentUsage::credits).sum()).toCompletableFuture();
    CompletableFuture<ReviewLinks.Rate> asked = reviews.rates(List.of(orgId), monthStart)
        .thenApply(rates -> rates.isEmpty() ? new ReviewLinks.Rate(orgId, 0, 0) : rates.get(0)).toCompletableFuture();
    return CompletableFuture.allOf(entry, count, found, used, asked).thenApplyAsync(done -> {
      Optional<OrgDirectory.OrgEntry> known = entry.join();
      ConversationListing.ClientActivity now = found.join();
      return new ClientView(orgId, known.map(OrgDirectory.OrgEntry::name).orElse(null),
          known.map(OrgDirectory.OrgEntry::parentOrgId).orElse(null), known.map(OrgDirectory.OrgEntry::openedAt).orElse(null),
          count.join(), used.join(), now.activeToday(), now.activeThisMonth(), now.waitingForAPerson(), now.leadsThisMonth(),
          now.bookingRequestsThisMonth(), asked.join().sent(), asked.join().clicked(), now.lastActivityAt());
    }, executor);
  }
}
