package io.layercake.runtime.channel;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The carrier keywords of an inbound SMS: its first word, case-insensitive, with trailing
 * punctuation ignored ({@code "Stop."}, {@code "STOP please remove me"}). Carriers require these to
 * be honoured; they send their own confirmation of an opt-out or opt-in.
 */
public final class SmsKeywords {
  /** What a keyword asks for. */
  public enum Kind {
    /** STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT: send nothing more. */
    OPT_OUT,
    /** START, UNSTOP: messages may be sent again. */
    OPT_IN,
    /** HELP: the organization's help text, free. */
    HELP
  }

  /** A keyword found in a message: its kind and the word as the customer wrote it, upper-cased. */
  public record Keyword(Kind kind, String word) {}

  private static final Map<String, Kind> WORDS = Map.of(
      "STOP", Kind.OPT_OUT, "STOPALL", Kind.OPT_OUT, "UNSUBSCRIBE", Kind.OPT_OUT, "CANCEL", Kind.OPT_OUT,
      "END", Kind.OPT_OUT, "QUIT", Kind.OPT_OUT, "START", Kind.OPT_IN, "UNSTOP", Kind.OPT_IN, "HELP", Kind.HELP);

  private SmsKeywords() {}

  /** The keyword the text starts with, if any. */
  public static Optional<Keyword> of(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String stripped = text.strip();
    int end = 0;
    while (end < stripped.length() && Character.isLetter(stripped.charAt(end))) {
      end++;
    }
    if (end == 0 || end < stripped.length() && !isBoundary(stripped.charAt(end))) {
      return Optional.empty();
    }
    String word = stripped.substring(0, end).toUpperCase(Locale.ROOT);
    return Optional.ofNullable(WORDS.get(word)).map(kind -> new Keyword(kind, word));
  }

  /** What may follow the first word: a space or punctuation, not a digit or another symbol of a word. */
  private static boolean isBoundary(char c) {
    return Character.isWhitespace(c) || ".,!?;:".indexOf(c) >= 0;
  }
}
