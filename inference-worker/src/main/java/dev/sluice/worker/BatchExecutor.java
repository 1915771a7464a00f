package dev.sluice.worker;

import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Tensor;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.DeadlineExceededException;
import dev.sluice.worker.model.EndpointsUnavailableException;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one model batch and isolates bad inputs by bisection: when {@link ModelRunner#run} throws a
 * {@link ModelRunException}, the batch is split in halves and each half is run again, down to
 * single requests; a request that fails alone gets {@link InferenceOutcome.Failed} with the model's
 * message, every other one its output. One bad request among n costs about 2 log2(n) extra calls.
 *
 * <p>Each call is given the earliest deadline of its requests. A {@link DeadlineExceededException}
 * blames no input: the requests whose deadline passed are answered EXPIRED and the rest run again.
 * An {@link EndpointsUnavailableException} is bisected too (see {@link #unavailable}): when the
 * endpoints answer part of the batch, the inputs they fail on get ERROR; when they answer none, the
 * flush is left unanswered ({@link FlushUnanswered}), so no result is committed that the model did
 * not give.
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
   * @param endpoint the endpoint that answered the batch's first successful call, null when none
   *     did or the version runs locally without endpoints
   */
  record Executed(List<InferenceOutcome> outcomes, long realTokens, long paddedTokens, long inferenceNanos, int failedCalls, String endpoint) {}

  /** Sums over the calls made for one batch. */
  private static final class Totals {
    long realTokens;
    long paddedTokens;
    long inferenceNanos;
    int failedCalls;
    String endpoint;
  }

  /**
   * Runs the requests (all of one version) on the runner.
   *
   * @throws FlushUnanswered when no endpoint of the version could answer
   */
  Executed execute(ModelRunner runner, List<PolledRecord.Request> batch) {
    InferenceOutcome[] outcomes = new InferenceOutcome[batch.size()];
    Totals totals = new Totals();
    List<Integer> members = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      members.add(i);
    }
    run(runner, batch, members, outcomes, totals);
    return new Executed(Arrays.asList(outcomes), totals.realTokens, totals.paddedTokens, totals.inferenceNanos, totals.failedCalls, totals.endpoint);
  }

  /** Runs the batch's members (indexes into it) in one call; on a failure, as {@link #execute} says. */
  private void run(ModelRunner runner, List<PolledRecord.Request> batch, List<Integer> members, InferenceOutcome[] outcomes, Totals totals) {
    List<Object> inputs = members.stream().map(i -> batch.get(i).request().getInput()).toList();
    Instant deadline = members.stream().map(i -> batch.get(i).request().getDeadline()).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    Instant start = clock.instant();
    BatchResult result;
    try {
      result = runner.run(inputs, deadline);
    } catch (EndpointsUnavailableException e) {
      totals.inferenceNanos += nanosSince(start);
      unavailable(runner, batch, members, e, outcomes, totals);
      return;
    } catch (DeadlineExceededException e) {
      totals.inferenceNanos += nanosSince(start);
      expire(runner, batch, members, e.deadline(), outcomes, totals);
      return;
    } catch (ModelRunException | RuntimeException e) {
      if (e instanceof WorkerFailure) {
        throw (WorkerFailure) e;
      }
      failed(runner, batch, members, e, nanosSince(start), outcomes, totals);
      return;
    }
    check(runner, inputs.size(), result);
    for (int i = 0; i < inputs.size(); i++) {
      outcomes[members.get(i)] = new InferenceOutcome.Ok(result.outputs().get(i), inputs.size(), result.inferenceNanos(), result.inputTokens(i),
          result.endpoint());
    }
    totals.realTokens += result.realTokens();
    totals.paddedTokens += result.paddedTokens();
    totals.inferenceNanos += result.inferenceNanos();
    if (totals.endpoint == null) {
      totals.endpoint = result.endpoint();
    }
  }

  /**
   * A call cut short by a deadline: the members whose deadline has passed (at least those with the
   * deadline the call was given) are EXPIRED, the others run again.
   */
  private void expire(ModelRunner runner, List<PolledRecord.Request> batch, List<Integer> members, Instant passed, InferenceOutcome[] outcomes,
      Totals totals) {
    Instant now = clock.instant();
    Instant cut = now.isAfter(passed) ? now : passed;
    List<Integer> rest = new ArrayList<>();
    for (int i : members) {
      Instant deadline = batch.get(i).request().getDeadline();
      if (deadline != null && !deadline.isAfter(cut)) {
        outcomes[i] = new InferenceOutcome.Expired(deadline, true);
      } else {
        rest.add(i);
      }
    }
    LOG.info("Model version {}: a deadline passed during a call for {} requests; {} expired, {} run again", batch.get(members.get(0)).version(),
        members.size(), members.size() - rest.size(), rest.size());
    if (!rest.isEmpty() && rest.size() < members.size()) {
      run(runner, batch, rest, outcomes, totals);
    } else if (!rest.isEmpty()) {
      throw new IllegalStateException("Model runner " + runner.info() + " reported deadline " + passed + " passed, but no request's deadline had");
    }
  }

  /**
   * No endpoint answered the call. Shadow copies are answered ERROR (their results are never
   * served, so they must not hold the flush). A larger batch is bisected: when one half is
   * answered, the endpoints are up and the other half's inputs are at fault (a server that answers
   * a bad input with a 5xx), so what of it is still unanswered gets ERROR; when neither half is,
   * the endpoints are down and the flush goes unanswered ({@link FlushUnanswered}), to be read again.
   */
  private void unavailable(ModelRunner runner, List<PolledRecord.Request> batch, List<Integer> members, EndpointsUnavailableException e,
      InferenceOutcome[] outcomes, Totals totals) {
    PolledRecord.Request first = batch.get(members.get(0));
    if (members.stream().allMatch(i -> batch.get(i).request().getShadow())) {
      LOG.warn("No endpoint of model version {} answered {} shadow copies; answering them ERROR: {}", first.version(), members.size(), e.getMessage());
      members.forEach(i -> outcomes[i] = new InferenceOutcome.Failed("no endpoint answered: " + e.getMessage(), members.size(), 0));
      return;
    }
    if (members.size() == 1) {
      throw new FlushUnanswered(first.version(), e);
    }
    int middle = members.size() >>> 1;
    List<Integer> left = members.subList(0, middle);
    List<Integer> right = members.subList(middle, members.size());
    FlushUnanswered leftFailed = answered(runner, batch, left, outcomes, totals);
    FlushUnanswered rightFailed = answered(runner, batch, right, outcomes, totals);
    if (leftFailed != null && rightFailed != null) {
      throw leftFailed;
    }
    List<Integer> blamed = leftFailed != null ? left : rightFailed != null ? right : List.of();
    for (int i : blamed) {
      if (outcomes[i] == null) {
        LOG.warn("Request {} of model version {}: no endpoint answered it while they answered others; answering ERROR: {}",
            batch.get(i).request().getRequestId(), first.version(), e.getMessage());
        outcomes[i] = new InferenceOutcome.Failed("the model's endpoints failed on this input while answering others: " + e.getMessage(), 1, 0);
      }
    }
  }

  /** Runs part of a batch; the failure when no endpoint answered it, else null. */
  private FlushUnanswered answered(ModelRunner runner, List<PolledRecord.Request> batch, List<Integer> members, InferenceOutcome[] outcomes,
      Totals totals) {
    try {
      run(runner, batch, members, outcomes, totals);
      return null;
    } catch (FlushUnanswered e) {
      return e;
    }
  }

  /** A call that threw: a single request fails alone, a larger batch is bisected. */
  private void failed(ModelRunner runner, List<PolledRecord.Request> batch, List<Integer> members, Exception e, long nanos,
      InferenceOutcome[] outcomes, Totals totals) {
    totals.inferenceNanos += nanos;
    totals.failedCalls++;
    PolledRecord.Request first = batch.get(members.get(0));
    String message = e instanceof ModelRunException && e.getMessage() != null ? e.getMessage() : e.toString();
    if (!(e instanceof ModelRunException)) {
      LOG.error("Model version {} threw unexpectedly on a batch of {}; treating it as a failed call", first.version(), members.size(), e);
    }
    if (members.size() == 1) {
      LOG.warn("Request {} of model version {} failed in the model: {}", first.request().getRequestId(), first.version(), message);
      outcomes[members.get(0)] = new InferenceOutcome.Failed(message, 1, nanos);
      return;
    }
    LOG.warn("A batch of {} for model version {} failed ({}); bisecting to isolate the bad inputs", members.size(), first.version(), message);
    int middle = members.size() >>> 1;
    run(runner, batch, members.subList(0, middle), outcomes, totals);
    run(runner, batch, members.subList(middle, members.size()), outcomes, totals);
  }

  private long nanosSince(Instant start) {
    return Math.max(0, Duration.between(start, clock.instant()).toNanos());
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
