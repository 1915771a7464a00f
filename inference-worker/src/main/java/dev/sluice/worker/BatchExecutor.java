package dev.sluice.worker;

import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Tensor;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one model batch and isolates bad inputs by bisection: when {@link ModelRunner#run} throws a
 * {@link ModelRunException}, the batch is split in halves and each half is run again, down to
 * single requests; a request that fails alone gets {@link InferenceOutcome.Failed} with the model's
 * message, every other one its output. One bad request among n costs about 2 log2(n) extra calls.
 *
 * <p>A runner that throws an unchecked exception other than ModelRunException (a fault the
 * runtime met on some input) is treated as a failed call too, logged at ERROR, so no input can
 * stop the loop. A runner that breaks its contract (another number of outputs than inputs, an
 * output that is not an Embedding, ClassScores or Tensor) is a bug and propagates.
 */
final class BatchExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(BatchExecutor.class);

  private final Clock clock;

  BatchExecutor(Clock clock) {
    this.clock = clock;
  }

  /**
   * What one batch came to.
   *
   * @param outcomes one per request, in batch order
   * @param realTokens tokens the successful calls really had
   * @param paddedTokens tokens the successful calls computed
   * @param inferenceNanos model time of every call made for the batch, failed ones included
   * @param failedCalls calls that threw
   */
  record Executed(List<InferenceOutcome> outcomes, long realTokens, long paddedTokens, long inferenceNanos, int failedCalls) {}

  /** Runs the requests (all of one version) on the runner. */
  Executed execute(ModelRunner runner, List<PolledRecord.Request> batch) {
    InferenceOutcome[] outcomes = new InferenceOutcome[batch.size()];
    long[] totals = new long[4];
    bisect(runner, batch, 0, batch.size(), outcomes, totals);
    return new Executed(Arrays.asList(outcomes), totals[0], totals[1], totals[2], (int) totals[3]);
  }

  private void bisect(ModelRunner runner, List<PolledRecord.Request> batch, int from, int to, InferenceOutcome[] outcomes, long[] totals) {
    List<Object> inputs = batch.subList(from, to).stream().map(request -> request.request().getInput()).toList();
    Instant start = clock.instant();
    BatchResult result;
    try {
      result = runner.run(inputs);
    } catch (ModelRunException | RuntimeException e) {
      if (e instanceof WorkerFailure) {
        throw (WorkerFailure) e;
      }
      failed(runner, batch, from, to, e, Math.max(0, Duration.between(start, clock.instant()).toNanos()), outcomes, totals);
      return;
    }
    check(runner, inputs.size(), result);
    for (int i = 0; i < inputs.size(); i++) {
      outcomes[from + i] = new InferenceOutcome.Ok(result.outputs().get(i), inputs.size(), result.inferenceNanos(), result.inputTokens(i));
    }
    totals[0] += result.realTokens();
    totals[1] += result.paddedTokens();
    totals[2] += result.inferenceNanos();
  }

  /** A call that threw: a single request fails alone, a larger batch is bisected. */
  private void failed(ModelRunner runner, List<PolledRecord.Request> batch, int from, int to, Exception e, long nanos, InferenceOutcome[] outcomes,
      long[] totals) {
    totals[2] += nanos;
    totals[3]++;
    String message = e instanceof ModelRunException && e.getMessage() != null ? e.getMessage() : e.toString();
    if (!(e instanceof ModelRunException)) {
      LOG.error("Model version {} threw unexpectedly on a batch of {}; treating it as a failed call", batch.get(from).version(), to - from, e);
    }
    if (to - from == 1) {
      LOG.warn("Request {} of model version {} failed in the model: {}", batch.get(from).request().getRequestId(), batch.get(from).version(), message);
      outcomes[from] = new InferenceOutcome.Failed(message, 1, nanos);
      return;
    }
    LOG.warn("A batch of {} for model version {} failed ({}); bisecting to isolate the bad inputs", to - from, batch.get(from).version(), message);
    int middle = (from + to) >>> 1;
    bisect(runner, batch, from, middle, outcomes, totals);
    bisect(runner, batch, middle, to, outcomes, totals);
  }

  private static void check(ModelRunner runner, int inputs, BatchResult result) {
    if (result.outputs().size() != inputs) {
      throw new IllegalStateException("Model runner " + runner.info() + " returned " + result.outputs().size() + " outputs for " + inputs + " inputs");
    }
    for (Object output : result.outputs()) {
      if (!(output instanceof Embedding || output instanceof ClassScores || output instanceof Tensor)) {
        throw new IllegalStateException("Model runner " + runner.info() + " returned a " + (output == null ? "null" : output.getClass().getName())
            + " output; expected Embedding, ClassScores or Tensor");
      }
    }
  }
}
