package io.layercake.runtime.agent;

import java.time.DayOfWeek;
import java.util.List;

/** A plumber's agent, as tests need one. */
public final class Agents {
  private Agents() {}

  public static AgentConfig plumber(String orgId) {
    return new AgentConfig(
        orgId,
        "Piet's Plumbing assistant",
        "You help the customers of Piet's Plumbing in Utrecht. Friendly, brief, practical.",
        List.of(
            new AgentConfig.FaqEntry("What are your opening hours?", "We are open Monday to Friday, 8:00 to 17:00."),
            new AgentConfig.FaqEntry("Do you do emergency repairs?", "Yes, our emergency line is open 24/7 for burst pipes and leaks.")),
        List.of("handoff_to_human", "book_appointment"),
        AgentConfig.Autonomy.SUPERVISED,
        List.of("plumbing"),
        AgentConfig.ModelChoice.LOCAL,
        "Sorry, our assistant is not available right now. We will get back to you.",
        "Hi! I'm Piet's assistant. How can I help?",
        List.of("nl", "en"),
        new AgentConfig.BusinessHours("Europe/Amsterdam", List.of(new AgentConfig.OpeningHours(DayOfWeek.MONDAY, "08:00", "17:00"))));
  }
}
