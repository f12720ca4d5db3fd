package io.layercake.runtime.setup;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The interview's sequence, the same for every vertical: each step asks one question and feeds
 * one file. The built-in interviewer asks exactly these; a hosted model is told to cover them.
 */
public enum InterviewStep {
  NAME("What is the business called?", null, Set.of("name", "called")),
  BUSINESS("What does the business do, and what makes it good? A few sentences, as you would tell a new customer.",
      "kb/hero-profile.md", Set.of("family", "since", "founded", "years", "specialist", "specialised", "quality", "about")),
  SERVICES("Which services do you offer, and what do they cost? One per line, with the price if you share it.",
      "kb/services-and-prices.md", Set.of("price", "prices", "cost", "costs", "€", "$", "eur", "euro", "callout", "fee", "rate", "service", "services", "charge")),
  HOURS("When are you open, and which area do you cover?",
      "kb/hours-and-area.md", Set.of("open", "opens", "close", "closes", "closed", "hours", "monday", "tuesday", "wednesday",
          "thursday", "friday", "saturday", "sunday", "weekend", "weekdays", "area", "cover", "am", "pm")),
  BOOKING("How do customers book, what are your policies (cancellation, deposits, parking), and what should always go to a person?",
      "kb/booking-and-policies.md", Set.of("book", "booking", "appointment", "cancel", "cancellation", "deposit", "policy", "parking", "notice")),
  TEAM("Who takes over when a customer needs a person? Names, phone or email, and when they are reachable.",
      "kb/team-and-handoff.md", Set.of("team", "phone", "email", "call", "reach", "reachable", "contact", "person")),
  TONE("How should the assistant sound (formal, friendly, short, warm), and which languages do your customers write in?",
      "kb/tone-and-voice.md", Set.of("tone", "formal", "friendly", "informal", "language", "languages", "english", "dutch", "german", "french", "spanish")),
  FAQ("Which questions do customers ask most? One per line as: question? answer",
      "kb/faq.md", Set.of("question", "questions", "ask", "faq")),
  STORIES("Tell me about a customer or two you are proud of helping: what was the problem and what did you do?",
      "kb/success-stories.md", Set.of("story", "stories", "customer", "happy", "review")),
  CHANNELS("Where should the assistant answer? A WhatsApp phone number id, an SMS number, your website's address for the chat widget — or \"none yet\".",
      SetupFiles.CONFIG, Set.of("whatsapp", "sms", "website", "widget", "site", "channel", "channels", "https", "http"));

  private final String question;
  private final String path;
  private final Set<String> topicWords;

  InterviewStep(String question, String path, Set<String> topicWords) {
    this.question = question;
    this.path = path;
    this.topicWords = topicWords;
  }

  public String question() {
    return question;
  }

  /** The knowledge document this step's answer fills; empty for steps that only feed agent-config.json. */
  public Optional<String> document() {
    return path == null || SetupFiles.CONFIG.equals(path) ? Optional.empty() : Optional.of(path);
  }

  Set<String> topicWords() {
    return topicWords;
  }

  public static List<InterviewStep> sequence() {
    return List.of(values());
  }

  /** The step whose question a message of the interviewer ends with. */
  static Optional<InterviewStep> askedIn(String message) {
    for (InterviewStep step : values()) {
      if (message.strip().endsWith(step.question)) {
        return Optional.of(step);
      }
    }
    return Optional.empty();
  }
}
