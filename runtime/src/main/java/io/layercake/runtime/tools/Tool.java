package io.layercake.runtime.tools;

import io.layercake.runtime.agent.AgentConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tools an agent may enable: what the model is told about each, which arguments it takes, and
 * whether a person must approve a call first. The conversation turn runs them.
 */
public enum Tool {
  HANDOFF_TO_HUMAN(
      "handoff_to_human",
      "Hand the conversation to a person from the business. Use when the customer asks for one or you cannot help.",
      List.of(new Parameter("reason", "Why a person should take over, in a few words", true))),
  CAPTURE_LEAD(
      "capture_lead",
      "Record the customer's contact details and what they need, so the business can get back to them.",
      List.of(
          new Parameter("name", "The customer's name", false),
          new Parameter("phone", "The customer's phone number", false),
          new Parameter("email", "The customer's email address", false),
          new Parameter("need", "What the customer needs, in one sentence", true))),
  BOOK_APPOINTMENT(
      "book_appointment",
      "Book an appointment once the customer confirmed the day, the time and what it is for. Where the business keeps a calendar, "
          + "a free slot is booked; a taken one answers the nearest free times to offer instead.",
      List.of(
          new Parameter("requested_time", "The date and time the customer chose, as YYYY-MM-DD HH:MM, local to the business", true),
          new Parameter("service", "What the appointment is for", true))),
  SCHEDULE_FOLLOWUP(
      "schedule_followup",
      "Send the customer a message later, unless they write first. Delay such as 30m, 2h or 1d.",
      List.of(
          new Parameter("delay", "How long from now: 30m, 2h, 1d", true),
          new Parameter("text", "The message to send", true))),
  START_SEQUENCE(
      "start_sequence",
      "Start one of the business's follow-up sequences with this customer (a series of messages over the coming days, "
          + "ended when the customer writes or books). Only by the names the business gave you.",
      List.of(new Parameter("name", "The sequence's name", true)));

  /** All tool names, as agents enable them. */
  public static final Set<String> NAMES = Arrays.stream(values()).map(Tool::toolName).collect(Collectors.toUnmodifiableSet());

  private final String toolName;
  private final String description;
  private final List<Parameter> parameters;

  Tool(String toolName, String description, List<Parameter> parameters) {
    this.toolName = toolName;
    this.description = description;
    this.parameters = parameters;
  }

  public static Optional<Tool> named(String name) {
    return Arrays.stream(values()).filter(tool -> tool.toolName.equals(name)).findFirst();
  }

  public String toolName() {
    return toolName;
  }

  public String description() {
    return description;
  }

  public List<Parameter> parameters() {
    return parameters;
  }

  /** A call's arguments as the tools take them: strings, at most 20, each at most 1,000 characters. */
  public static java.util.Map<String, String> arguments(java.util.Map<String, Object> arguments) {
    java.util.Map<String, String> strings = new java.util.LinkedHashMap<>();
    arguments.forEach((name, value) -> {
      if (name != null && value != null && strings.size() < 20) {
        String text = String.valueOf(value);
        strings.put(name, text.length() > 1_000 ? text.substring(0, 1_000) : text);
      }
    });
    return strings;
  }

  /** Under {@code supervised} and {@code draft}, a booking waits for a person's approval. */
  public boolean needsApproval(AgentConfig.Autonomy autonomy) {
    return this == BOOK_APPOINTMENT && autonomy != AgentConfig.Autonomy.AUTONOMOUS;
  }

  /** One argument of a tool, always a string. */
  public record Parameter(String name, String description, boolean required) {}
}
