package dev.sluice.worker.runtime;

import ai.djl.Model;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.ModelInfo;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A model loaded through DJL, its predictors, and the task it serves. */
final class DjlModelRunner implements ModelRunner {
  private final ModelInfo info;
  private final Model model;
  private final TaskHandler handler;
  private final AutoCloseable engineOptions;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** @param engineOptions engine resources the model was loaded with, closed after it */
  DjlModelRunner(ModelInfo info, Model model, TaskHandler handler, AutoCloseable engineOptions) {
    this.info = info;
    this.model = model;
    this.handler = handler;
    this.engineOptions = engineOptions;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public BatchResult run(List<Object> inputs) throws ModelRunException {
    if (closed.get()) {
      throw new IllegalStateException("Model " + info.model() + "/" + info.version() + " is closed");
    }
    if (inputs.isEmpty()) {
      return new BatchResult(List.of(), 0, 0, 0);
    }
    long start = System.nanoTime();
    BatchResult result = handler.run(inputs);
    return result.timed(System.nanoTime() - start);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      handler.close();
      model.close();
    } finally {
      ModelResources.closeAll(List.of(engineOptions));
    }
  }
}
