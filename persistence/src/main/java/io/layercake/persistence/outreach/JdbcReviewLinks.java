package io.layercake.persistence.outreach;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.outreach.OutreachPolicy;
import io.layercake.runtime.outreach.ReviewLinks;
import io.layercake.runtime.people.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Review requests in {@code review_requests}; a tracked link is {@code {publicBaseUrl}/r/{token}}.
 * A claim and the period check run in one transaction; two conversations of one customer claiming in
 * the same instant could both pass (each agent's conversation is its own entity) — rare, and harmless
 * beyond a second request.
 */
public final class JdbcReviewLinks implements ReviewLinks {
  private final ApplicationDatabase database;
  private final Supplier<String> publicBaseUrl;

  /** {@code publicBaseUrl}: read at each claim (a node learns its own address once it is bound). */
  public JdbcReviewLinks(ApplicationDatabase database, Supplier<String> publicBaseUrl) {
    this.database = database;
    this.publicBaseUrl = publicBaseUrl;
  }

  private String link(String token) {
    return publicBaseUrl.get().replaceAll("/+$", "") + "/r/" + token;
  }

  @Override
  public CompletionStage<Optional<String>> claim(OutreachPolicy.ReviewClaim claim) {
    return database.write(connection -> {
      Optional<String> mine = first(connection, "SELECT token FROM review_requests WHERE request_id = ?",
          rows -> rows.getString(1), claim.requestId());
      if (mine.isPresent()) {
        return mine.map(this::link);
      }
      Instant since = claim.at().minus(Duration.ofDays(claim.periodDays()));
      boolean asked = first(connection, "SELECT 1 FROM review_requests WHERE org_id = ? AND channel = ? AND contact = ? AND sent_at > ?",
          rows -> true, claim.orgId(), claim.channel(), claim.contact(), since).isPresent();
      if (asked) {
        return Optional.empty();
      }
      String token = Tokens.random(16);
      update(connection, "INSERT INTO review_requests (token, request_id, org_id, agent_id, session_id, channel, contact, link, sent_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", token, claim.requestId(), claim.orgId(), claim.agentId(), claim.sessionId(),
          claim.channel(), claim.contact(), claim.link(), claim.at());
      return Optional.of(link(token));
    });
  }

  @Override
  public CompletionStage<Optional<String>> follow(String token, Instant at) {
    return database.write(connection -> {
      Optional<String> link = first(connection, "SELECT link FROM review_requests WHERE token = ?", rows -> rows.getString(1), token);
      if (link.isPresent()) {
        update(connection, "UPDATE review_requests SET clicks = clicks + 1, first_clicked_at = COALESCE(first_clicked_at, ?)"
            + " WHERE token = ?", at, token);
      }
      return link;
    });
  }

  @Override
  public CompletionStage<List<Rate>> rates(List<String> orgIds, Instant since) {
    if (orgIds.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
    String marks = String.join(", ", java.util.Collections.nCopies(orgIds.size(), "?"));
    Object[] parameters = new Object[orgIds.size() + 1];
    parameters[0] = since;
    for (int i = 0; i < orgIds.size(); i++) {
      parameters[i + 1] = orgIds.get(i);
    }
    return database.read(connection -> query(connection, "SELECT org_id, COUNT(*) AS sent, COUNT(first_clicked_at) AS clicked"
            + " FROM review_requests WHERE sent_at >= ? AND org_id IN (" + marks + ") GROUP BY org_id ORDER BY org_id",
        rows -> new Rate(rows.getString("org_id"), rows.getLong("sent"), rows.getLong("clicked")), parameters));
  }
}
