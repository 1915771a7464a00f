package dev.sluice.worker.remote;

/**
 * A call to an endpoint that gave no answer to use. {@link Kind#REFUSED_INPUT} blames the inputs
 * (the server answered 400, 413 or 422): the worker isolates the input at fault. The other kinds
 * blame the endpoint: the call is retried, then the next endpoint is tried.
 */
final class EndpointFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** Whom a failure blames. */
  enum Kind {
    /** The server refused the inputs (400, 413, 422). */
    REFUSED_INPUT,
    /** The server failed or is unreachable: 5xx, another 4xx (auth, unknown model, overload), a refused connection, a bad answer. */
    UNAVAILABLE,
    /** No answer within the call's timeout. */
    TIMEOUT
  }

  private final Kind kind;

  EndpointFailure(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  /** The kind of an HTTP status other than 200: the inputs' fault or the endpoint's. */
  static Kind ofStatus(int status) {
    return status == 400 || status == 413 || status == 422 ? Kind.REFUSED_INPUT : Kind.UNAVAILABLE;
  }
}
