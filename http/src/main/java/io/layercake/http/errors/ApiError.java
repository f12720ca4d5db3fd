package io.layercake.http.errors;

import org.apache.pekko.http.javadsl.model.StatusCode;

/**
 * The one error format of every route: {@code {"error": {"code": "...", "message": "..."}}}.
 * The code is stable for programs, the message is for people.
 */
public record ApiError(Body error) {
  public record Body(String code, String message) {}

  public static ApiError of(String code, String message) {
    return new ApiError(new Body(code, message));
  }

  /** A stable code for an HTTP status, for errors that have nothing more specific to say. */
  public static String codeFor(StatusCode status) {
    return switch (status.intValue()) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 408 -> "request_timeout";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 415 -> "unsupported_media_type";
      case 422 -> "unprocessable_entity";
      case 429 -> "rate_limited";
      case 500 -> "internal_error";
      case 503 -> "unavailable";
      default -> "http_" + status.intValue();
    };
  }
}
