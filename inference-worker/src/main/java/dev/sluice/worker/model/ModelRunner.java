package dev.sluice.worker.model;

import java.time.Instant;
import java.util.List;

/**
 * One loaded model version, ready to run batches. The worker loop calls {@link #run} from one
 * thread at a time; a runner may spread a batch over its own predictors (one per device thread)
 * inside that call. Closing releases the native resources.
 */
public interface ModelRunner extends AutoCloseable {

  /** What is loaded, and where. */
  ModelInfo info();

  /**
   * Runs one batch (requests of this version from one flush) through the model's real batch path;
   * the runner may split it into several model calls.
   *
   * @param inputs normalized inputs, each a {@code dev.sluice.avro.TextInput}, {@code TensorInput}
   *     or {@code TabularInput} as the ingress prepared them
   * @return one output per input, in the same order, plus token accounting
   * @throws ModelRunException when the batch fails; the worker then bisects it to isolate the bad
   *     inputs
   */
  BatchResult run(List<Object> inputs) throws ModelRunException;

  /**
   * Runs one batch that must be answered before a deadline. A runner that calls a remote server
   * bounds the call by it and throws {@link DeadlineExceededException} when it passes; a local
   * runner runs the batch as {@link #run(List)} does (the worker checks deadlines before inference).
   *
   * @param deadline the earliest deadline of the batch's requests, or null when none has one
   * @throws EndpointsUnavailableException when no endpoint could answer (the worker answers none of
   *     the batch's requests and reads them again)
   */
  default BatchResult run(List<Object> inputs, Instant deadline) throws ModelRunException {
    return run(inputs);
  }

  /** Releases the model's predictors and native memory. */
  @Override
  void close();
}
