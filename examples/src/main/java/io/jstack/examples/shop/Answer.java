package io.jstack.examples.shop;

/**
 * What the shop answers to one request.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body, ending in a newline
 * @param allow the methods a 405 names in {@code Allow}, else empty
 */
record Answer(int status, String contentType, String body, String allow) {
  static Answer json(int status, String json) {
    return new Answer(status, "application/json", json + "\n", "");
  }

  /** A one-line text answer: line breaks in the message become spaces. */
  static Answer text(int status, String line) {
    return new Answer(
        status, "text/plain; charset=utf-8", line.replace('\r', ' ').replace('\n', ' ') + "\n", "");
  }

  Answer withAllow(String methods) {
    return new Answer(status, contentType, body, methods);
  }
}
