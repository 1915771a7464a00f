package dev.sluice.stack;

/**
 * The ports the one-process pipeline listens on; 0 picks a free one.
 *
 * @param broker the local Kafka broker
 * @param registry the embedded schema registry
 * @param ingress the ingress's /metrics and /health
 * @param worker the first worker's /metrics and /health, the next workers' following
 * @param monitor the monitoring application's /metrics and /health
 * @param dashboard the live dashboard
 * @param gateway the HTTP gateway's API (its /metrics and /health get a free port)
 */
public record StackPorts(int broker, int registry, int ingress, int worker, int monitor, int dashboard, int gateway) {
  /** Every port picked free. */
  public static StackPorts free() {
    return new StackPorts(0, 0, 0, 0, 0, 0, 0);
  }

  /** The port of worker {@code index}. */
  int worker(int index) {
    return worker == 0 ? 0 : worker + index;
  }
}
