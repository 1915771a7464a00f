package dev.sluice.worker.remote;

import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.DeadlineExceededException;
import dev.sluice.worker.model.EndpointsUnavailableException;
import dev.sluice.worker.model.ModelInfo;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import dev.sluice.worker.model.TokenCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model version that runs on an ordered list of endpoints, the fallbacks: each batch goes to the
 * first endpoint whose circuit breaker lets it through. A failed call (5xx, timeout, refused
 * connection, a bad answer) is retried on the same endpoint up to its {@code retries}, after a
 * backoff with full jitter (50 ms doubling, at most 1 s), then the next endpoint is tried; a LOCAL
 * endpoint runs the deployment's artifact on the worker and is never skipped. A 400, 413 or 422
 * blames the inputs: it is a {@link ModelRunException}, which the worker bisects to isolate the
 * input at fault. Every call is bounded by the batch's earliest deadline: when it passes, the run
 * ends with a {@link DeadlineExceededException} and no late answer is used. When no endpoint could
 * answer, {@link EndpointsUnavailableException}: the worker then answers nothing of the batch.
 *
 * <p>Tokens: the server's {@code usage.prompt_tokens} where it reports them, else the sum the
 * worker's tokenizer (the artifact's, when the deployment names one) counts; each text input's own
 * count comes from that tokenizer only.
 */
final class FallbackRunner implements ModelRunner {
  private static final Logger LOG = LoggerFactory.getLogger(FallbackRunner.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  /** One endpoint, in the deployment's order. */
  sealed interface Route {
    String name();
  }

  /**
   * A remote endpoint.
   *
   * @param endpoint its client
   * @param breaker its circuit breaker
   * @param timeout its longest call
   * @param retries retries of a failed call before the next endpoint
   */
  record Remote(HttpEndpoint endpoint, CircuitBreaker breaker, Duration timeout, int retries) implements Route {
    @Override
    public String name() {
      return endpoint.name();
    }
  }

  /**
   * The deployment's artifact run on this worker.
   *
   * @param name the endpoint's name
   * @param runner the loaded model
   */
  record Local(String name, ModelRunner runner) implements Route {}

  private final ModelInfo info;
  private final List<Route> routes;
  private final Optional<TokenCounter> tokens;
  private final EndpointMetrics metrics;
  private final Clock clock;

  FallbackRunner(ModelInfo info, List<Route> routes, Optional<TokenCounter> tokens, EndpointMetrics metrics, Clock clock) {
    if (routes.isEmpty()) {
      throw new IllegalArgumentException("a fallback runner needs at least one endpoint");
    }
    this.info = info;
    this.routes = List.copyOf(routes);
    this.tokens = tokens;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public BatchResult run(List<Object> inputs) throws ModelRunException {
    return run(inputs, null);
  }

  @Override
  public BatchResult run(List<Object> inputs, Instant deadline) throws ModelRunException {
    List<String> failures = new ArrayList<>();
    for (Route route : routes) {
      if (route instanceof Local local) {
        return runLocally(local, inputs, deadline);
      }
      Remote remote = (Remote) route;
      if (!remote.breaker().allow()) {
        metrics.call(remote.name(), "breaker_open", 0);
        failures.add(remote.name() + ": circuit breaker open until " + remote.breaker().reopensAt());
        continue;
      }
      Optional<BatchResult> answered = tryRemote(remote, inputs, deadline, failures);
      if (answered.isPresent()) {
        return answered.get();
      }
    }
    throw new EndpointsUnavailableException(String.join("; ", failures), null);
  }

  /** Runs the artifact here, within the deadline: one that has passed by the start or the end gives no answer. */
  private BatchResult runLocally(Local local, List<Object> inputs, Instant deadline) throws ModelRunException {
    if (deadline != null && !clock.instant().isBefore(deadline)) {
      throw new DeadlineExceededException(deadline, "the deadline " + deadline + " passed before " + local.name() + " could run the batch");
    }
    BatchResult result = local.runner().run(inputs);
    if (deadline != null && clock.instant().isAfter(deadline)) {
      throw new DeadlineExceededException(deadline, local.name() + " answered after the deadline " + deadline + "; its answer is not used");
    }
    return result.answeredBy(local.name());
  }

  /** Calls one endpoint, with its retries; empty when it failed (what failed is added to {@code failures}). */
  private Optional<BatchResult> tryRemote(Remote remote, List<Object> inputs, Instant deadline, List<String> failures) throws ModelRunException {
    for (int attempt = 0; ; attempt++) {
      Duration timeout = remote.timeout();
      boolean cutByDeadline = false;
      if (deadline != null) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          remote.breaker().abandoned();
          throw new DeadlineExceededException(deadline, "the deadline " + deadline + " passed before " + remote.name() + " was called");
        }
        if (left.compareTo(timeout) < 0) {
          timeout = left;
          cutByDeadline = true;
        }
      }
      long start = System.nanoTime();
      try {
        Answer answer = remote.endpoint().call(inputs, timeout);
        long nanos = System.nanoTime() - start;
        remote.breaker().succeeded();
        metrics.call(remote.name(), "ok", nanos);
        return Optional.of(result(answer, inputs, nanos, remote.name()));
      } catch (ModelRunException | RuntimeException e) {
        remote.breaker().abandoned();
        throw e;
      } catch (EndpointFailure failure) {
        long nanos = System.nanoTime() - start;
        switch (failure.kind()) {
          case REFUSED_INPUT -> {
            remote.breaker().succeeded();
            metrics.call(remote.name(), "refused", nanos);
            throw new ModelRunException(failure.getMessage(), failure);
          }
          case TIMEOUT -> {
            metrics.call(remote.name(), "timeout", nanos);
            if (cutByDeadline) {
              remote.breaker().abandoned();
              throw new DeadlineExceededException(deadline, remote.name() + " did not answer before the deadline " + deadline);
            }
          }
          case UNAVAILABLE -> metrics.call(remote.name(), "failed", nanos);
        }
        failures.add(failure.getMessage());
        boolean open = remote.breaker().failed();
        if (open) {
          LOG.warn("Model version {}/{}: the circuit breaker of endpoint {} is open after: {}", info.model(), info.version(), remote.name(),
              failure.getMessage());
          return Optional.empty();
        }
        if (attempt >= remote.retries() || !backOff(attempt, deadline)) {
          return Optional.empty();
        }
      }
    }
  }

  /** Waits before a retry, full jitter; false (no wait) when the wait would reach the deadline. */
  private boolean backOff(int attempt, Instant deadline) {
    long cap = Math.min(MAX_BACKOFF.toNanos(), FIRST_BACKOFF.toNanos() << Math.min(attempt, 10));
    long wait = ThreadLocalRandom.current().nextLong(cap + 1);
    if (deadline != null && !clock.instant().plusNanos(wait).isBefore(deadline)) {
      return false;
    }
    try {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private BatchResult result(Answer answer, List<Object> inputs, long nanos, String endpoint) {
    List<Integer> counted = new ArrayList<>();
    if (tokens.isPresent() && inputs.stream().allMatch(TextInput.class::isInstance)) {
      for (Object input : inputs) {
        counted.add(tokens.get().tokens(((TextInput) input).getText()));
      }
    }
    long real = answer.promptTokens() >= 0 ? answer.promptTokens() : counted.stream().mapToLong(Integer::longValue).sum();
    return new BatchResult(answer.outputs(), real, real, nanos, counted, endpoint);
  }

  @Override
  public void close() {
    closeLocal(routes);
    tokens.ifPresent(TokenCounter::close);
    metrics.close();
  }

  /** Closes the models the LOCAL routes loaded. */
  static void closeLocal(List<Route> routes) {
    for (Route route : routes) {
      if (route instanceof Local local) {
        local.runner().close();
      }
    }
  }
}
