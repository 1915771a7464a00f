package dev.sluice.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Where flushes are answered ({@link RequestAnswerer}): on a thread of its own, which wakes the
 * loop's poll when a flush is done, or inline on the caller's thread (tests that step the loop).
 */
final class AnsweringLane {
  /** A flush and its answers, being computed or computed. */
  record Flight(List<PolledRecord> flush, Future<RequestAnswerer.Answers> answers) {
    boolean done() {
      return answers.isDone();
    }
  }

  private final RequestAnswerer answerer;
  private final Runnable onAnswered;
  private final ExecutorService thread;

  /**
   * @param answerer answers a flush
   * @param onAnswered run on the lane's thread after each flush (the loop wakes its consumer)
   * @param threadName the thread's name, or null to answer inline
   */
  AnsweringLane(RequestAnswerer answerer, Runnable onAnswered, String threadName) {
    this.answerer = answerer;
    this.onAnswered = onAnswered;
    this.thread = threadName == null ? null : Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts answering a flush. */
  Flight start(List<PolledRecord> flush) {
    if (thread == null) {
      CompletableFuture<RequestAnswerer.Answers> answers = new CompletableFuture<>();
      try {
        answers.complete(answerer.answer(flush));
      } catch (RuntimeException | Error e) {
        answers.completeExceptionally(e);
      }
      return new Flight(flush, answers);
    }
    return new Flight(flush, thread.submit(() -> {
      try {
        return answerer.answer(flush);
      } finally {
        onAnswered.run();
      }
    }));
  }

  /** Waits for a flush's answers; a failure while answering is rethrown as it was (a bug). */
  RequestAnswerer.Answers answers(Flight flight) {
    try {
      return flight.answers().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerFailure("Interrupted while waiting for the model", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new WorkerFailure("Answering a flush failed", cause);
    }
  }

  /** Interrupts a flush still being answered and waits up to the timeout for the thread to end. */
  void shutdown(Duration timeout) {
    if (thread == null) {
      return;
    }
    thread.shutdownNow();
    try {
      thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
