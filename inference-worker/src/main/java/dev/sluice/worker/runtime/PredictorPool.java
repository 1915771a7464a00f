package dev.sluice.worker.runtime;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model's predictors, one per device thread, sharing the model's single engine session (its
 * weights are in memory once). {@link #runAll} runs model calls on them in parallel, each through
 * DJL's batch path ({@code batchPredict}: one padded tensor per model call), and returns the
 * outputs in the model calls' order. With one predictor everything runs on the caller's thread.
 *
 * @param <I> a translator input
 * @param <O> a translator output
 */
final class PredictorPool<I, O> implements AutoCloseable {
  private final List<Predictor<I, O>> predictors;
  private final BlockingQueue<Predictor<I, O>> idle;
  private final ExecutorService executor;

  PredictorPool(Model model, Translator<I, O> translator, int size, String threadName) {
    List<Predictor<I, O>> created = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      created.add(model.newPredictor(translator));
    }
    this.predictors = List.copyOf(created);
    this.idle = new ArrayBlockingQueue<>(size, false, created);
    this.executor = size == 1 ? null : Executors.newFixedThreadPool(size, threads(threadName));
  }

  /** Number of predictors. */
  int size() {
    return predictors.size();
  }

  /**
   * Runs every model call and returns their outputs in the same order.
   *
   * @throws ModelRunException when any model call fails; the others are cancelled
   */
  List<List<O>> runAll(List<List<I>> calls) throws ModelRunException {
    if (executor == null || calls.size() == 1) {
      List<List<O>> outputs = new ArrayList<>(calls.size());
      for (List<I> call : calls) {
        outputs.add(runOne(call));
      }
      return outputs;
    }
    List<Future<List<O>>> futures = new ArrayList<>(calls.size());
    for (List<I> call : calls) {
      futures.add(executor.submit(() -> runOne(call)));
    }
    List<List<O>> outputs = new ArrayList<>(calls.size());
    try {
      for (Future<List<O>> future : futures) {
        outputs.add(future.get());
      }
      return outputs;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      ModelRunException failure = cause instanceof ModelRunException run ? run
          : new ModelRunException("Model call failed: " + cause, cause);
      cancel(futures);
      awaitOthers(futures, failure);
      throw failure;
    } catch (InterruptedException e) {
      cancel(futures);
      Thread.currentThread().interrupt();
      throw new ModelRunException("Interrupted while the model ran", e);
    }
  }

  private List<O> runOne(List<I> call) throws ModelRunException {
    Predictor<I, O> predictor;
    try {
      predictor = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelRunException("Interrupted while waiting for a predictor", e);
    }
    try {
      return predictor.batchPredict(call);
    } catch (TranslateException | RuntimeException e) {
      throw new ModelRunException("Model call failed: " + rootMessage(e), e);
    } finally {
      idle.add(predictor);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }

  private void cancel(List<Future<List<O>>> futures) {
    for (Future<List<O>> future : futures) {
      future.cancel(false);
    }
  }

  /** Waits for model calls already running, so that their predictors are back before the next batch. */
  private void awaitOthers(List<Future<List<O>>> futures, ModelRunException failure) {
    for (Future<List<O>> future : futures) {
      if (future.isCancelled()) {
        continue;
      }
      try {
        future.get();
      } catch (ExecutionException e) {
        if (e.getCause() != failure) {
          failure.addSuppressed(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
    for (Predictor<I, O> predictor : predictors) {
      predictor.close();
    }
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
