package io.layercake.runtime.agent;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What makes an agent's configuration valid; each problem is a sentence an agency can act on. */
public final class AgentRules {
  public static final Set<String> PROVIDERS = Set.of("local", "openai", "anthropic");
  /** The tools agents may enable; the tool registry of the conversation turn implements them. */
  public static final Set<String> TOOLS = io.layercake.runtime.tools.Tool.NAMES;
  static final int MAX_NAME = 120;
  static final int MAX_PERSONA = 20_000;
  static final int MAX_FAQ = 200;

  private AgentRules() {}

  public static List<String> problems(AgentConfig config) {
    List<String> problems = new ArrayList<>();
    if (config.tools().size() > 10 || config.languages().size() > 20 || config.knowledgeTags().size() > 30) {
      problems.add("at most 10 tools, 20 languages and 30 knowledge tags");
    }
    if (tooLong(config.greeting(), 1_000) || tooLong(config.unavailableMessage(), 1_000)) {
      problems.add("greeting and unavailableMessage are at most 1000 characters");
    }
    if (config.faq().stream().anyMatch(entry -> entry != null && (tooLong(entry.question(), 500) || tooLong(entry.answer(), 2_000)))) {
      problems.add("FAQ questions are at most 500 characters, answers at most 2000");
    }
    if (config.languages().stream().anyMatch(language -> language == null || language.length() > 10)) {
      problems.add("languages are codes such as en or nl");
    }
    if (config.knowledgeTags().stream().anyMatch(tag -> tag == null || tag.length() > 50)) {
      problems.add("knowledge tags are at most 50 characters");
    }
    if (blank(config.orgId())) {
      problems.add("orgId is required");
    }
    if (blank(config.name())) {
      problems.add("name must not be empty");
    } else if (config.name().length() > MAX_NAME) {
      problems.add("name must be at most " + MAX_NAME + " characters");
    }
    if (config.persona() != null && config.persona().length() > MAX_PERSONA) {
      problems.add("persona must be at most " + MAX_PERSONA + " characters");
    }
    if (config.faq().size() > MAX_FAQ) {
      problems.add("at most " + MAX_FAQ + " FAQ entries");
    }
    for (int i = 0; i < config.faq().size(); i++) {
      AgentConfig.FaqEntry entry = config.faq().get(i);
      if (entry == null || blank(entry.question()) || blank(entry.answer())) {
        problems.add("faq[" + i + "] needs a question and an answer");
      }
    }
    for (String tool : config.tools()) {
      if (tool == null || !TOOLS.contains(tool)) {
        problems.add("unknown tool " + tool + " (known: " + TOOLS.stream().sorted().toList() + ")");
      }
    }
    if (config.model() == null) {
      problems.add("model is required");
    } else {
      if (config.model().provider() == null || !PROVIDERS.contains(config.model().provider())) {
        problems.add("unknown model provider " + config.model().provider() + " (known: " + PROVIDERS.stream().sorted().toList() + ")");
      }
      if (blank(config.model().model())) {
        problems.add("model.model must name the model");
      }
      if (config.model().temperature() < 0 || config.model().temperature() > 2) {
        problems.add("model.temperature must be between 0 and 2");
      }
    }
    AgentConfig.Webchat webchat = config.webchat();
    if (!webchat.brandColor().matches("#[0-9a-fA-F]{6}")) {
      problems.add("webchat.brandColor must be a color such as #2563eb");
    }
    if (!List.of("bottom-right", "bottom-left").contains(webchat.position())) {
      problems.add("webchat.position must be bottom-right or bottom-left");
    }
    if (webchat.allowedOrigins().size() > 20 || webchat.allowedOrigins().stream()
        .anyMatch(origin -> origin == null || !(origin.equals("*") || origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")))) {
      problems.add("webchat.allowedOrigins are at most 20 origins such as https://example.com, or *");
    }
    if (config.businessHours() != null) {
      checkBusinessHours(config.businessHours(), problems);
    }
    return problems;
  }

  private static void checkBusinessHours(AgentConfig.BusinessHours businessHours, List<String> problems) {
    try {
      ZoneId.of(java.util.Objects.requireNonNull(businessHours.timeZone()));
    } catch (RuntimeException e) {
      problems.add("businessHours.timeZone " + businessHours.timeZone() + " is not a time zone (e.g. Europe/Amsterdam)");
    }
    for (AgentConfig.OpeningHours day : businessHours.hours()) {
      try {
        if (day.day() == null || !LocalTime.parse(day.opens()).isBefore(LocalTime.parse(day.closes()))) {
          problems.add("businessHours: each day needs a day and opens before closes");
        }
      } catch (DateTimeParseException | NullPointerException e) {
        problems.add("businessHours: opens and closes are HH:mm times");
      }
    }
  }

  private static boolean tooLong(String value, int max) {
    return value != null && value.length() > max;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
