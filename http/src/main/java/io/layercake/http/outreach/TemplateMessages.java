package io.layercake.http.outreach;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.outreach.WhatsAppTemplate;
import io.layercake.runtime.outreach.WhatsAppTemplates;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A template someone asks to send, checked against the organization's synced copy: it must be known,
 * approved and given exactly its parameters (named ones go by name). Either the message, or why not.
 */
public final class TemplateMessages {
  private final WhatsAppTemplates templates;

  public TemplateMessages(WhatsAppTemplates templates) {
    this.templates = templates;
  }

  /** What is asked for: a template by name and language, with its values in order. */
  public record Request(String name, String language, List<String> parameters) {}

  /** {@code message} when it can go, else {@code problem}; {@code template} is our copy when it was found. */
  public record Checked(Optional<MessageTemplate> message, Optional<WhatsAppTemplate> template, String problem) {}

  public CompletionStage<Checked> check(String orgId, Request request) {
    if (request == null || request.name() == null || request.language() == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          new Checked(Optional.empty(), Optional.empty(), "template needs name, language and parameters"));
    }
    List<String> values = request.parameters() == null ? List.of() : request.parameters();
    return templates.find(orgId, request.name(), request.language()).thenApply(found -> {
      if (found.isEmpty()) {
        return new Checked(Optional.empty(), Optional.empty(), "no template " + request.name() + " (" + request.language() + ") in "
            + orgId + ": sync the templates first (POST /api/v1/whatsapp-templates/sync)");
      }
      WhatsAppTemplate template = found.get();
      return template.problemWith(values)
          .map(problem -> new Checked(Optional.empty(), found, problem))
          .orElseGet(() -> new Checked(Optional.of(new MessageTemplate(template.name(), template.language(), values, template.parameters())),
              found, null));
    });
  }
}
