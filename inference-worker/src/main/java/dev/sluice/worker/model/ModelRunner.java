package dev.sluice.worker.model;

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

  /** Releases the model's predictors and native memory. */
  @Override
  void close();
}
