package dev.sluice.local.kafka;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import kafka.server.FaultHandlerFactory;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault handlers for a broker that shares its JVM with an application. A standalone Kafka server
 * halts the process on a fatal fault; embedded, that would kill the host application (or the test
 * run) without a word. Here fatal faults are logged, remembered and surfaced by {@link
 * LocalKafkaBroker}; non-fatal faults are only logged, as in Kafka.
 */
final class EmbeddedFaultHandlerFactory implements FaultHandlerFactory {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFaultHandlerFactory.class);

  private final AtomicReference<RuntimeException> firstFatalFault = new AtomicReference<>();

  @Override
  public FaultHandler build(String name, boolean fatal, Runnable action) {
    if (!fatal) {
      return new LoggingFaultHandler(name, action);
    }
    return (failureMessage, cause) -> {
      LOG.error("Fatal fault in the local Kafka broker ({}): {}", name, failureMessage, cause);
      RuntimeException fault = new IllegalStateException(
          "Fatal fault in " + name + ": " + failureMessage, cause);
      firstFatalFault.compareAndSet(null, fault);
      action.run();
      return fault;
    };
  }

  /** The first fatal fault reported, if any. */
  Optional<RuntimeException> firstFatalFault() {
    return Optional.ofNullable(firstFatalFault.get());
  }
}
