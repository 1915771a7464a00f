package dev.sluice.platform.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One answer of a health endpoint.
 *
 * @param ok true answers 200, false 503
 * @param contentType the body's content type
 * @param body the body
 */
public record HealthAnswer(boolean ok, String contentType, String body) {
  /** The checks every component answers, at {@code /health/live} and {@code /health/ready}. */
  public enum Check {
    LIVE, READY;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The one shape every component answers in: {@code {"component": "worker", "check": "ready",
   * "ok": true, "degraded": false, "detail": "serving ..."}}; 200 when ok, else 503. Degraded
   * means it works but something needs a look (no broker reached for a while); it stays 200.
   */
  public static HealthAnswer of(String component, Check check, boolean ok, boolean degraded, String detail) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("component", component);
    body.put("check", check.word());
    body.put("ok", ok);
    body.put("degraded", degraded);
    body.put("detail", detail);
    return new HealthAnswer(ok, "application/json; charset=utf-8", body.toString());
  }
}
