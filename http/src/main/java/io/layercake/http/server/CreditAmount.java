package io.layercake.http.server;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.runtime.credits.OrgEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * A number of credits in a request body, kept exactly as the client wrote it so that every body
 * with an amount (grants, purchases, an operator applying a Stripe event) refuses the same inputs
 * with the same words. Only a JSON whole number is an amount: Jackson alone would store
 * {@code 1.5} as 1 and {@code "100"} as 100.
 */
public record CreditAmount(JsonNode written) {
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public CreditAmount {}

  @JsonValue
  @Override
  public JsonNode written() {
    return written;
  }

  /** The amount, or why it is not one; {@code refusal} is a 400 {@code invalid_amount} naming the field. */
  public record Checked(long value, HttpResponse refusal) {
    public boolean ok() {
      return refusal == null;
    }
  }

  /** A whole number of credits from {@code min} (0 or 1) to {@link OrgEntity#MAX_CREDITS}, written as a JSON number. */
  public static Checked check(String field, CreditAmount amount, long min) {
    String expected = field + " must be a whole number of credits from " + min + " to " + OrgEntity.MAX_CREDITS
        + ", written as a JSON number such as 100 (no quotes, no decimal point)";
    JsonNode written = amount == null ? null : amount.written();
    if (written == null || written.isNull() || written.isMissingNode()) {
      return refused(field + " is required; " + expected);
    }
    if (!written.isIntegralNumber() || !written.canConvertToLong()) {
      return refused(expected + "; got " + shown(written));
    }
    long value = written.longValue();
    if (value < min || value > OrgEntity.MAX_CREDITS) {
      return refused(expected + "; got " + value);
    }
    return new Checked(value, null);
  }

  private static Checked refused(String message) {
    return new Checked(0, ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_amount", message));
  }

  private static String shown(JsonNode written) {
    String text = written.toString();
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }
}
