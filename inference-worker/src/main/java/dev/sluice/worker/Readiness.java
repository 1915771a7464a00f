package dev.sluice.worker;

/**
 * Whether the worker serves, and why (not).
 *
 * @param ready true when a model version is loaded, partitions are assigned and the loop runs
 * @param degraded true when the worker runs but something it needs is missing (the cluster)
 * @param reason what the worker is doing or waiting for, degradation first
 */
public record Readiness(boolean ready, boolean degraded, String reason) {

  /** A readiness without degradation. */
  public Readiness(boolean ready, String reason) {
    this(ready, false, reason);
  }

  /**
   * The same readiness, degraded, with the degradation said first ({@code "degraded: ...; serving ..."}).
   *
   * @param degradation what is wrong, e.g. the lost cluster connection
   * @return the annotated readiness
   */
  public Readiness degraded(String degradation) {
    return new Readiness(ready, true, degradation + "; " + reason);
  }
}
