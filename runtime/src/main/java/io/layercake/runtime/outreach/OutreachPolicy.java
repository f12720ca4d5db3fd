package io.layercake.runtime.outreach;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Each organization's {@link OutreachSettings}, as a conversation asks for them when it is about to start a message. */
@FunctionalInterface
public interface OutreachPolicy {
  /** No quiet hours, no templates: what an organization that set nothing has. */
  OutreachPolicy NONE = orgId -> CompletableFuture.completedFuture(OutreachSettings.NONE);

  CompletionStage<OutreachSettings> of(String orgId);
}
