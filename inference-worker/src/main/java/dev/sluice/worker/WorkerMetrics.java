package dev.sluice.worker;

import dev.sluice.avro.InferenceResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The worker loop's Micrometer meters, recorded once a transaction has committed (so a retried
 * flush is counted once). Bind it ({@link #bindTo}) before recording. Names are dotted lowercase in base units; tags are low-cardinality:
 * {@code model}, {@code version}, {@code status} (OK, ERROR, EXPIRED), {@code kind},
 * {@code outcome}.
 *
 * <ul>
 *   <li>{@value #INFERENCE} (Timer, percentile histogram; model, version): model time per batch,
 *       bisection retries included;
 *   <li>{@value #END_TO_END} (Timer, percentile histogram; model, version, status): request
 *       creation to result;
 *   <li>{@value #QUEUED} (Timer; model, version): request creation to pick-up by the worker;
 *   <li>{@value #BATCH_SIZE} (DistributionSummary; model, version): requests per model batch;
 *   <li>{@value #RESULTS} (Counter; model, version, status): results produced;
 *   <li>{@value #TOKENS} (Counter; model, version, kind=real|padded): tokens the inputs had and
 *       tokens the model computed;
 *   <li>{@value #PADDING_WASTE} (DistributionSummary, ratio; model, version): share of the
 *       computed tokens of a batch that were padding, (padded - real) / padded;
 *   <li>{@value #DEAD_LETTERS} (Counter; model): unreadable records dead-lettered;
 *   <li>{@value #TRANSACTIONS} (Counter; model, outcome=committed|aborted);
 *   <li>{@value #QUEUE_DEPTH} (Gauge; model): consumed requests waiting for a flush.
 * </ul>
 *
 * <p>Model load times and loaded versions are the fleet's ({@link dev.sluice.worker.fleet.ModelFleetMetrics}):
 * {@code sluice.worker.model.load} and {@code sluice.worker.models.loaded}.
 */
public final class WorkerMetrics implements MeterBinder {
  public static final String INFERENCE = "sluice.worker.inference";
  public static final String END_TO_END = "sluice.worker.end.to.end";
  public static final String QUEUED = "sluice.worker.queued";
  public static final String BATCH_SIZE = "sluice.worker.batch.size";
  public static final String RESULTS = "sluice.worker.results";
  public static final String TOKENS = "sluice.worker.tokens";
  public static final String PADDING_WASTE = "sluice.worker.padding.waste";
  public static final String DEAD_LETTERS = "sluice.worker.dead.letters";
  public static final String TRANSACTIONS = "sluice.worker.transactions";
  public static final String QUEUE_DEPTH = "sluice.worker.queue.depth";

  private final String model;
  private final IntSupplier queueDepth;
  private final Map<List<String>, Object> meters = new ConcurrentHashMap<>();
  private MeterRegistry registry;
  private Counter deadLetters;
  private Counter committed;
  private Counter aborted;

  /**
   * @param model the model served, a tag of every meter
   * @param queueDepth consumed requests waiting, read by the {@value #QUEUE_DEPTH} gauge from any thread
   */
  WorkerMetrics(String model, IntSupplier queueDepth) {
    this.model = Objects.requireNonNull(model, "model");
    this.queueDepth = Objects.requireNonNull(queueDepth, "queueDepth");
  }

  /** Registers the fixed meters; the per-version ones follow on the same registry as versions appear. */
  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    deadLetters = Counter.builder(DEAD_LETTERS).description("Unreadable records dead-lettered").tag("model", model).register(registry);
    committed = transactions("committed");
    aborted = transactions("aborted");
    Gauge.builder(QUEUE_DEPTH, queueDepth::getAsInt).description("Consumed requests waiting for a batch")
        .tag("model", model).baseUnit("requests").register(registry);
  }

  /** Records what a committed transaction carried. */
  void committed(RequestAnswerer.Answers answers) {
    committed.increment();
    deadLetters.increment(answers.deadLetters());
    for (InferenceResult result : answers.results()) {
      String version = result.getModelVersion();
      String status = result.getStatus().name();
      meter(Counter.class, RESULTS, version, status, () -> Counter.builder(RESULTS).description("Results produced")
          .tags("model", model, "version", version, "status", status).register(registry)).increment();
      meter(Timer.class, END_TO_END, version, status, () -> Timer.builder(END_TO_END).description("Request creation to result")
          .tags("model", model, "version", version, "status", status).publishPercentileHistogram().register(registry))
          .record(millis(result.getTimings().getEndToEndMs()));
      meter(Timer.class, QUEUED, version, "", () -> Timer.builder(QUEUED).description("Request creation to pick-up by the worker")
          .tags("model", model, "version", version).register(registry))
          .record(millis(result.getTimings().getQueuedMs()));
    }
    for (RequestAnswerer.Batch batch : answers.batches()) {
      recordBatch(batch);
    }
  }

  /** Records an aborted transaction. */
  void aborted() {
    aborted.increment();
  }

  private void recordBatch(RequestAnswerer.Batch batch) {
    String version = batch.version();
    BatchExecutor.Executed executed = batch.executed();
    meter(Timer.class, INFERENCE, version, "", () -> Timer.builder(INFERENCE).description("Model time per batch")
        .tags("model", model, "version", version).publishPercentileHistogram().register(registry))
        .record(executed.inferenceNanos(), TimeUnit.NANOSECONDS);
    meter(DistributionSummary.class, BATCH_SIZE, version, "", () -> DistributionSummary.builder(BATCH_SIZE)
        .description("Requests per model batch").baseUnit("requests").tags("model", model, "version", version).register(registry))
        .record(batch.size());
    meter(Counter.class, TOKENS, version, "real", () -> tokens(version, "real")).increment(executed.realTokens());
    meter(Counter.class, TOKENS, version, "padded", () -> tokens(version, "padded")).increment(executed.paddedTokens());
    if (executed.paddedTokens() > 0) {
      double waste = Math.max(0.0, (executed.paddedTokens() - executed.realTokens()) / (double) executed.paddedTokens());
      meter(DistributionSummary.class, PADDING_WASTE, version, "", () -> DistributionSummary.builder(PADDING_WASTE)
          .description("Share of the computed tokens of a batch that were padding").baseUnit("ratio")
          .tags("model", model, "version", version).register(registry)).record(waste);
    }
  }

  private Counter tokens(String version, String kind) {
    return Counter.builder(TOKENS).description("Tokens the inputs had (real) and the model computed (padded)").baseUnit("tokens")
        .tags("model", model, "version", version, "kind", kind).register(registry);
  }

  private Counter transactions(String outcome) {
    return Counter.builder(TRANSACTIONS).description("Worker transactions by outcome").tags("model", model, "outcome", outcome).register(registry);
  }

  private <M> M meter(Class<M> type, String name, String version, String detail, java.util.function.Supplier<M> create) {
    return type.cast(meters.computeIfAbsent(List.of(name, version, detail), key -> create.get()));
  }

  private static Duration millis(double ms) {
    return Duration.ofNanos((long) (ms * 1_000_000));
  }
}
