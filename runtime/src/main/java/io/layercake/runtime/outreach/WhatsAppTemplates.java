package io.layercake.runtime.outreach;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The organizations' copies of their WhatsApp templates: replaced by a sync, their status moved by Meta's webhooks. */
public interface WhatsAppTemplates {
  /** Replaces the organization's copy with what Meta listed. */
  CompletionStage<List<WhatsAppTemplate>> replace(String orgId, List<WhatsAppTemplate> templates, Instant at);

  CompletionStage<List<WhatsAppTemplate>> of(String orgId);

  CompletionStage<Optional<WhatsAppTemplate>> find(String orgId, String name, String language);

  /** Meta's word that a template's status changed; answers how many copies it moved (the template may not be synced yet). */
  CompletionStage<Integer> statusChanged(String orgId, String templateId, String status, String reason, Instant at);
}
