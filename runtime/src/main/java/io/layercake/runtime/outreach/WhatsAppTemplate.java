package io.layercake.runtime.outreach;

import io.layercake.runtime.channel.MessageTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Our copy of one of an organization's WhatsApp message templates, as Meta approved (or paused,
 * disabled, rejected) it: its body text and the parameters it takes ({@code {{1}}}, {@code {{2}}}… or
 * named ones), and its category, which decides what Meta charges for the conversation it opens.
 */
public record WhatsAppTemplate(String templateId, String name, String language, String category, String status, String body,
    List<String> parameters, Instant updatedAt) {

  public WhatsAppTemplate {
    parameters = List.copyOf(parameters);
  }

  public boolean approved() {
    return "APPROVED".equals(status);
  }

  /**
   * The message to send with these values, or why it cannot go: the template is not approved, or the
   * values do not match its parameters (Meta would refuse it with error 132000).
   */
  public Optional<String> problemWith(List<String> values) {
    if (!approved()) {
      return Optional.of("template " + name + " (" + language + ") is " + status.toLowerCase(Locale.ROOT) + ", not approved");
    }
    if (values.size() != parameters.size()) {
      return Optional.of("template " + name + " takes " + parameters.size() + " parameter" + (parameters.size() == 1 ? "" : "s")
          + (parameters.isEmpty() ? "" : " (" + String.join(", ", parameters) + ")") + ", " + values.size() + " given");
    }
    return Optional.ofNullable(new MessageTemplate(name, language, values).problem());
  }

  /** What Meta charges for, in words: marketing, utility and authentication conversations are priced differently. */
  public String pricingNote() {
    return switch (category) {
      case "MARKETING" -> "marketing: Meta charges the business for each marketing template delivered";
      case "UTILITY" -> "utility: Meta charges for it unless a customer service window is open";
      case "AUTHENTICATION" -> "authentication: Meta charges at the authentication rate";
      default -> category.toLowerCase(Locale.ROOT) + ": see Meta's pricing for this category";
    };
  }

  /** The body with the values in place of its parameters, for the conversation's history. */
  public String render(List<String> values) {
    String text = body;
    for (int i = 0; i < parameters.size() && i < values.size(); i++) {
      text = text.replace("{{" + parameters.get(i) + "}}", values.get(i));
    }
    return text;
  }
}
