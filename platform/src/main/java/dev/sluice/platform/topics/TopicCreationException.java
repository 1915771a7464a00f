package dev.sluice.platform.topics;

import java.util.concurrent.TimeoutException;

/** Raised when the cluster refused or did not answer a topic operation in time. */
public final class TopicCreationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TopicCreationException(Throwable cause) {
    super(cause instanceof TimeoutException
        ? "Kafka did not answer in time: check --bootstrap-servers and that the brokers are up"
        : cause.getMessage(), cause);
  }
}
