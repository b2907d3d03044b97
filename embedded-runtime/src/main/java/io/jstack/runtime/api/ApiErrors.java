package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The one mapping from the engine's typed failures to HTTP statuses, as dockerd answers them. */
final class ApiErrors {
  private ApiErrors() {}

  /** The status that answers a request that failed with {@code failure}. */
  static HttpResponseStatus status(Throwable failure) {
    if (failure instanceof EngineException.NotFound) {
      return HttpResponseStatus.NOT_FOUND;
    }
    if (failure instanceof EngineException.Conflict) {
      return HttpResponseStatus.CONFLICT;
    }
    if (failure instanceof EngineException.InvalidArgument
        || failure instanceof IllegalArgumentException) {
      return HttpResponseStatus.BAD_REQUEST;
    }
    if (failure instanceof EngineException.Unauthorized) {
      return HttpResponseStatus.UNAUTHORIZED;
    }
    if (failure instanceof UnsupportedOperationException) {
      return HttpResponseStatus.NOT_IMPLEMENTED;
    }
    return HttpResponseStatus.INTERNAL_SERVER_ERROR;
  }

  /** The message of {@code failure} for the client. */
  static String message(Throwable failure) {
    return String.valueOf(failure.getMessage());
  }
}
