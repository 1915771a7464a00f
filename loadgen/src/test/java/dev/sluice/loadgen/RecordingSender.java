package dev.sluice.loadgen;

import dev.sluice.avro.InferenceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Keeps what it is sent, noting the clock at each send; a hook can act on each send (answer it, stall). */
final class RecordingSender implements RequestSender {
  record Sent(InferenceRequest request, long atNanos) {}

  private final BenchClock clock;
  private final Consumer<InferenceRequest> onSend;
  final List<Sent> sent = new ArrayList<>();

  RecordingSender(BenchClock clock, Consumer<InferenceRequest> onSend) {
    this.clock = clock;
    this.onSend = onSend;
  }

  @Override
  public void send(InferenceRequest request, Consumer<Exception> onFailure) {
    sent.add(new Sent(request, clock.nanoTime()));
    onSend.accept(request);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
