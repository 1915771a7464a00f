package dev.sluice.worker;

import dev.sluice.avro.Embedding;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.BatchResult;
import dev.sluice.worker.model.DeadlineExceededException;
import dev.sluice.worker.model.EndpointsUnavailableException;
import dev.sluice.worker.model.ModelInfo;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * A model runner for the loop's tests: embeds a text as {@code [length, version marker]}, counts
 * one token per character (padded to the longest text of the call), fails any call that
 * contains a text with {@value #POISON}, and embeds a text with {@value #HUGE} as
 * {@value #HUGE_DIMENSIONS} values.
 */
public final class FakeRunner implements ModelRunner {
  public static final String POISON = "POISON";
  public static final String HUGE = "HUGE";
  public static final String SLOW = "SLOW";
  /** A text every endpoint answers with a 5xx, as a server whose predict() raises on it does. */
  public static final String FAILS_5XX = "FAILS5XX";
  static final int HUGE_DIMENSIONS = 100_000;
  static final long NANOS_PER_CALL = 2_000_000;

  private final String model;
  private final String version;
  private final float marker;
  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closed;
  private volatile Semaphore gate;

  public FakeRunner(String model, String version, float marker) {
    this.model = model;
    this.version = version;
    this.marker = marker;
  }

  /**
   * While true, each call given a deadline-aware run fails as a remote runner's does when no
   * endpoint answers.
   */
  volatile boolean endpointsDown;

  /**
   * As {@link #run(List)}, as a remote runner would: while {@link #endpointsDown}, no endpoint
   * answers; a call holding a text with {@value #FAILS_5XX} gets a 5xx from every endpoint; a call
   * holding a text with {@value #SLOW} and a deadline outlasts the deadline.
   */
  @Override
  public BatchResult run(List<Object> inputs, Instant deadline) throws ModelRunException {
    if (endpointsDown) {
      calls.add(inputs.stream().map(input -> ((TextInput) input).getText()).toList());
      throw new EndpointsUnavailableException("primary: answered 503; fallback: cannot connect", null);
    }
    if (inputs.stream().anyMatch(input -> ((TextInput) input).getText().contains(FAILS_5XX))) {
      calls.add(inputs.stream().map(input -> ((TextInput) input).getText()).toList());
      throw new EndpointsUnavailableException("primary: answered 500: predict() raised", null);
    }
    if (deadline != null && inputs.stream().anyMatch(input -> ((TextInput) input).getText().contains(SLOW))) {
      calls.add(inputs.stream().map(input -> ((TextInput) input).getText()).toList());
      throw new DeadlineExceededException(deadline, "primary did not answer before the deadline " + deadline);
    }
    return run(inputs);
  }

  /** From now on each call, once recorded, waits for a permit of the gate (null: no waiting). */
  void gate(Semaphore permits) {
    gate = permits;
  }

  @Override
  public ModelInfo info() {
    return new ModelInfo(model, version, Task.TEXT_EMBEDDING, "Fake", "cpu", 1, Duration.ZERO);
  }

  @Override
  public BatchResult run(List<Object> inputs) throws ModelRunException {
    if (closed) {
      throw new IllegalStateException("run on a closed runner " + version);
    }
    List<String> texts = inputs.stream().map(input -> ((TextInput) input).getText()).toList();
    calls.add(texts);
    Semaphore held = gate;
    if (held != null) {
      held.acquireUninterruptibly();
    }
    if (texts.stream().anyMatch(text -> text.contains(POISON))) {
      throw new ModelRunException("cannot embed " + POISON, null);
    }
    List<Object> outputs = new ArrayList<>();
    List<Integer> tokens = new ArrayList<>();
    long real = 0;
    int longest = 0;
    for (String text : texts) {
      tokens.add(text.length());
      outputs.add(new Embedding(text.contains(HUGE) ? Collections.nCopies(HUGE_DIMENSIONS, marker) : List.of((float) text.length(), marker)));
      real += text.length();
      longest = Math.max(longest, text.length());
    }
    return new BatchResult(outputs, real, (long) longest * texts.size(), NANOS_PER_CALL, tokens);
  }

  /** The texts of every call, in order. */
  public List<List<String>> calls() {
    return List.copyOf(calls);
  }

  public boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
