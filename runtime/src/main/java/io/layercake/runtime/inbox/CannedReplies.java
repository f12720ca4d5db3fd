package io.layercake.runtime.inbox;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Replies a team keeps ready to send (a port; persistence implements it). An agency's serve its clients' inboxes too. */
public interface CannedReplies {

  CompletionStage<CannedReply> add(String orgId, String title, String text, String createdBy);

  /** The replies of these organizations, by title. */
  CompletionStage<List<CannedReply>> of(List<String> orgIds);

  CompletionStage<Boolean> delete(String orgId, String replyId);

  record CannedReply(String replyId, String orgId, String title, String text, String createdBy, Instant createdAt) {}
}
