package io.layercake.http.providers;

/** Meta's Graph API refused a call, or could not be reached: {@code getMessage()} says which, for the person who asked. */
public final class GraphApiRefused extends RuntimeException {
  public GraphApiRefused(String message) {
    super(message);
  }
}
