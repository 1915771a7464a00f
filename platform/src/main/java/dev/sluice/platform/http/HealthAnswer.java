package dev.sluice.platform.http;

/**
 * One answer of a health endpoint.
 *
 * @param ok true answers 200, false 503
 * @param contentType the body's content type
 * @param body the body
 */
public record HealthAnswer(boolean ok, String contentType, String body) {
  /** A plain-text answer. */
  public static HealthAnswer text(boolean ok, String body) {
    return new HealthAnswer(ok, "text/plain; charset=utf-8", body);
  }

  /** A JSON answer. */
  public static HealthAnswer json(boolean ok, String body) {
    return new HealthAnswer(ok, "application/json; charset=utf-8", body);
  }
}
