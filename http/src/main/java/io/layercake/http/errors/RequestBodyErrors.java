package io.layercake.http.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * Words a request body that could not be read for the person who sent it: what was wrong and
 * where (a field, a line and column), never the exception, the class it was read into or the
 * framework setting behind a limit.
 */
final class RequestBodyErrors {
  private RequestBodyErrors() {}

  /** Why a body could not be read, as the JSON error it answers with. */
  record Problem(int status, String code, String message) {}

  /** The problem a failure while reading a body stands for, if it is one the sender can fix. */
  static Optional<Problem> of(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof EntityStreamSizeException tooLarge) {
        return Optional.of(tooLarge(tooLarge.limit()));
      }
      if (cause instanceof JsonProcessingException json) {
        return Optional.of(new Problem(400, "bad_request", describe(json)));
      }
    }
    return Optional.empty();
  }

  static Problem tooLarge(long limitBytes) {
    return new Problem(413, "payload_too_large",
        "The request body is larger than the " + humanSize(limitBytes) + " allowed; send less at a time.");
  }

  /** 1048576 → "1 MB", 1536 → "1.5 KB", 500 → "500 bytes". */
  static String humanSize(long bytes) {
    String[] units = {"bytes", "KB", "MB", "GB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0) {
      return bytes + " bytes";
    }
    String number = value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    return number + " " + units[unit];
  }

  private static String describe(JsonProcessingException failure) {
    if (failure instanceof StreamReadException) {
      return "The request body is not valid JSON" + where(failure.getLocation()) + ".";
    }
    if (!(failure instanceof JsonMappingException mapping)) {
      return "The request body could not be read as JSON.";
    }
    String field = field(mapping);
    if (mapping instanceof UnrecognizedPropertyException unknown) {
      String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return "Unknown field '" + field + "'" + (known.isEmpty() ? "." : "; the fields are: " + known + ".");
    }
    if (mapping instanceof ValueInstantiationException instantiation) {
      Throwable reason = instantiation.getCause();
      return reason instanceof IllegalArgumentException && reason.getMessage() != null
          ? "The request body is not acceptable: " + reason.getMessage()
          : "The request body has a value that is not acceptable" + (field.isEmpty() ? "." : " in '" + field + "'.");
    }
    if (mapping instanceof MismatchedInputException mismatch) {
      if (field.isEmpty()) {
        return mismatch.getOriginalMessage() != null && mismatch.getOriginalMessage().startsWith("No content")
            ? "The request body is empty; a JSON object is expected."
            : "The request body must be a JSON object.";
      }
      return "Field '" + field + "' must be " + kind(mismatch.getTargetType()) + ".";
    }
    return "The request body does not have the expected fields" + (field.isEmpty() ? "." : " (at '" + field + "').");
  }

  private static String where(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  /** The path to the field at fault as a client wrote it: {@code faq[0].question}. */
  private static String field(JsonMappingException mapping) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : mapping.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
      return "text";
    }
    if (type == int.class || type == long.class || type == short.class || type == Integer.class || type == Long.class
        || type == Short.class || type == BigInteger.class) {
      return "a whole number";
    }
    if (type == double.class || type == float.class || type == Double.class || type == Float.class
        || type == BigDecimal.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants())
          .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "a date and time (ISO-8601, e.g. 2026-01-31T09:00:00Z)";
    }
    return "a JSON object";
  }
}
