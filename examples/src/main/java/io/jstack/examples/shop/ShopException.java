package io.jstack.examples.shop;

/** A request the shop answers with an error status and a one-line message. */
public final class ShopException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /** An error answered with this HTTP status and one-line message. */
  public ShopException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
