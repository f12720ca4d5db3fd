package io.layercake.runtime.agent;

import io.layercake.runtime.serialization.JsonSerializable;
import java.util.List;

/**
 * Everything an agency configures for an agent: who it is, what it knows, what it may do, which
 * model answers. Immutable; every change replaces it whole and is one event.
 */
public record AgentConfig(
    String orgId,
    String name,
    String persona,
    List<FaqEntry> faq,
    List<String> tools,
    Autonomy autonomy,
    List<String> knowledgeTags,
    ModelChoice model,
    String unavailableMessage,
    String greeting,
    List<String> languages,
    BusinessHours businessHours,
    DoubleTexting doubleTexting,
    Webchat webchat)
    implements JsonSerializable {

  /** A configuration with the default webchat widget. */
  public AgentConfig(
      String orgId, String name, String persona, List<FaqEntry> faq, List<String> tools, Autonomy autonomy,
      List<String> knowledgeTags, ModelChoice model, String unavailableMessage, String greeting, List<String> languages,
      BusinessHours businessHours, DoubleTexting doubleTexting) {
    this(orgId, name, persona, faq, tools, autonomy, knowledgeTags, model, unavailableMessage, greeting, languages,
        businessHours, doubleTexting, Webchat.DEFAULT);
  }

  /** A configuration that answers bursts of messages together (the default policy). */
  public AgentConfig(
      String orgId, String name, String persona, List<FaqEntry> faq, List<String> tools, Autonomy autonomy,
      List<String> knowledgeTags, ModelChoice model, String unavailableMessage, String greeting, List<String> languages,
      BusinessHours businessHours) {
    this(orgId, name, persona, faq, tools, autonomy, knowledgeTags, model, unavailableMessage, greeting, languages,
        businessHours, DoubleTexting.COALESCE, Webchat.DEFAULT);
  }

  public AgentConfig {
    faq = faq == null ? List.of() : List.copyOf(faq);
    tools = tools == null ? List.of() : List.copyOf(tools);
    knowledgeTags = knowledgeTags == null ? List.of() : List.copyOf(knowledgeTags);
    languages = languages == null ? List.of() : List.copyOf(languages);
    autonomy = autonomy == null ? Autonomy.AUTONOMOUS : autonomy;
    doubleTexting = doubleTexting == null ? DoubleTexting.COALESCE : doubleTexting;
    webchat = webchat == null ? Webchat.DEFAULT : webchat;
  }

  /** A question the agent answers the same way every time. */
  public record FaqEntry(String question, String answer) implements JsonSerializable {}

  /** Which model answers: provider ({@code local}, {@code openai}, {@code anthropic}), model name, temperature. */
  public record ModelChoice(String provider, String model, double temperature) implements JsonSerializable {
    public static final ModelChoice LOCAL = new ModelChoice("local", "local", 0.0);
  }

  /** When humans are around to take over, in the business's own time zone. */
  public record BusinessHours(String timeZone, List<OpeningHours> hours) implements JsonSerializable {
    public BusinessHours {
      hours = hours == null ? List.of() : List.copyOf(hours);
    }
  }

  /** One day's opening, {@code HH:mm} to {@code HH:mm}. */
  public record OpeningHours(java.time.DayOfWeek day, String opens, String closes) implements JsonSerializable {}

  /** How much the agent may do alone. */
  public enum Autonomy {
    /** Replies and tools run without a human. */
    AUTONOMOUS,
    /** Risky tools wait for a human's approval. */
    SUPERVISED,
    /** Every reply is a draft a human approves. */
    DRAFT
  }

  /** What happens to messages a customer sends while the agent is about to answer, or answering. */
  public enum DoubleTexting {
    /**
     * The first message is answered at once; messages that arrive before the model answered join
     * that turn and the model starts over with all of them (one reply). Later ones go together into the next turn.
     */
    COALESCE,
    /** One turn per message, in order. */
    QUEUE,
    /** Like coalesce, but the model is told to answer the customer's latest message. */
    INTERRUPT
  }

  /**
   * The webchat widget: whether it is on, its color and corner, and the sites that may embed it
   * ({@code https://example.com}; {@code *} for any; none: only this server's own pages).
   */
  public record Webchat(Boolean enabled, String brandColor, String position, List<String> allowedOrigins)
      implements JsonSerializable {
    public static final Webchat DEFAULT = new Webchat(true, "#2563eb", "bottom-right", List.of());

    public Webchat {
      enabled = enabled == null || enabled;
      brandColor = brandColor == null ? "#2563eb" : brandColor;
      position = position == null ? "bottom-right" : position;
      allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    public boolean allows(String origin) {
      return origin != null && (allowedOrigins.contains("*") || allowedOrigins.contains(origin));
    }
  }
}
