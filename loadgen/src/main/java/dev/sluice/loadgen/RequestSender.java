package dev.sluice.loadgen;

import dev.sluice.avro.InferenceRequest;
import java.util.function.Consumer;

/** Where the generator's requests go: Kafka in a run, a list in unit tests. */
public interface RequestSender extends AutoCloseable {
  /**
   * Sends one request keyed by its id, without waiting for the broker.
   *
   * @param onFailure called (on another thread, possibly) when the request could not be delivered
   * @throws RuntimeException when it cannot even be handed over; the generator then stops
   */
  void send(InferenceRequest request, Consumer<Exception> onFailure);

  /** Waits (boundedly) until everything sent has been delivered or has failed. */
  void flush();

  @Override
  void close();
}
