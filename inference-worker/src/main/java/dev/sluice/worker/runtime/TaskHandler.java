package dev.sluice.worker.runtime;

import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelRunException;
import java.util.List;

/** What a runner does with a batch, by task. */
sealed interface TaskHandler extends AutoCloseable
    permits TextEmbeddingHandler, ZeroShotClassificationHandler, TensorHandler {

  /**
   * Runs the batch; {@link BatchResult#inferenceNanos()} is left 0 for the runner to fill.
   *
   * @throws ModelRunException when an input is not what the task takes, or the model fails
   */
  BatchResult run(List<Object> inputs) throws ModelRunException;

  @Override
  void close();
}
