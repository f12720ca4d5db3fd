package io.layercake.http.api;

import io.layercake.http.errors.ErrorHandling;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** What a conversation's refusal is over HTTP: the status and error code each reason answers with. */
public final class SessionRejections {
  private SessionRejections() {}

  public static HttpResponse response(SessionReply.Rejected rejected) {
    return switch (rejected.reason()) {
      case NOT_FOUND -> ErrorHandling.response(StatusCodes.NOT_FOUND, "not_found", rejected.message());
      case CONFLICT -> ErrorHandling.response(StatusCodes.CONFLICT, "conflict", rejected.message());
      case OPTED_OUT -> ErrorHandling.response(StatusCodes.CONFLICT, "contact_opted_out", rejected.message());
      case WINDOW_CLOSED -> ErrorHandling.response(StatusCodes.CONFLICT, "window_closed", rejected.message());
      case INVALID -> ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_request", rejected.message());
    };
  }
}
