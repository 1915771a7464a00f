package dev.sluice.platform.topics;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for an admin call's result within a bound, turning its failure into a {@link TopicCreationException}. */
final class AdminCalls {
  private AdminCalls() {}

  static <T> T await(KafkaFuture<T> future, Duration timeout) throws InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new TopicCreationException(e.getCause());
    } catch (TimeoutException e) {
      throw new TopicCreationException(e);
    }
  }
}
