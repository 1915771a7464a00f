package dev.sluice.worker.fleet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The meters of a {@link ModelFleet}:
 *
 * <ul>
 *   <li>{@value #LOAD_TIMER} (Timer; model, version, outcome=success|failure): time to load one
 *       deployment, superseded loads included;
 *   <li>{@value #LOADED_GAUGE} (Gauge; model): versions loaded and serving.
 * </ul>
 */
public final class ModelFleetMetrics implements MeterBinder {
  /** Load time per deployment. */
  public static final String LOAD_TIMER = "sluice.worker.model.load";
  /** Versions loaded and serving. */
  public static final String LOADED_GAUGE = "sluice.worker.models.loaded";

  private final ModelFleet fleet;

  /** The meters of this fleet, once bound. */
  public ModelFleetMetrics(ModelFleet fleet) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(LOADED_GAUGE, fleet, ModelFleet::loadedCount).description("Model versions loaded and serving")
        .tag("model", fleet.model()).register(registry);
    fleet.onLoadFinished((deployment, succeeded, nanos) -> Timer.builder(LOAD_TIMER).description("Time to load one model version")
        .tags("model", deployment.getModel(), "version", deployment.getVersion(), "outcome", succeeded ? "success" : "failure")
        .register(registry).record(nanos, TimeUnit.NANOSECONDS));
  }
}
