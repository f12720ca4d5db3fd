package io.layercake.runtime.outreach;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Where the organizations' outreach settings are kept: read by conversations, written by the API. */
public interface OutreachSettingsStore extends OutreachPolicy {
  CompletionStage<OutreachSettings> save(String orgId, OutreachSettings settings, Instant at);
}
