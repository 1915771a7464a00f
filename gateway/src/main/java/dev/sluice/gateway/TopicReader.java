package dev.sluice.gateway;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group-less reader of assigned partitions on its own thread, for the gateway's replies and its
 * model catalog. {@link #start} returns once the subclass says it is {@link #ready()}; a record it
 * cannot take yet (the schema registry unreachable) is read again after a pause; a failure of the
 * consumer ends the reader and is kept for {@link #failure()}.
 *
 * @param <K> key type
 * @param <V> value type
 */
abstract class TopicReader<K, V> implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY_DELAY = Duration.ofMillis(500);

  protected final Consumer<K, V> consumer;
  private final String name;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;

  TopicReader(Consumer<K, V> consumer, String name) {
    this.consumer = consumer;
    this.name = name;
  }

  /** Assigns the partitions and seeks; may call {@link #ready()}. On the reader's thread. */
  protected abstract void position();

  /** Takes a record; false when it cannot be taken yet and must be read again. On the reader's thread. */
  protected abstract boolean take(ConsumerRecord<K, V> record);

  /** After each poll's records are taken; may call {@link #ready()}. */
  protected void polled() {}

  /** What the reader reads, for messages. */
  protected abstract String describe();

  /** Marks the reader ready: {@link #start} returns. */
  protected final void ready() {
    ready.countDown();
  }

  /**
   * Starts reading on its own thread and waits until it is ready.
   *
   * @throws IllegalStateException when it is not ready within the timeout or failed first
   */
  final void start(Duration timeout) throws InterruptedException {
    Thread thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
      stop(Duration.ofSeconds(5));
      Throwable cause = failure.get();
      throw new IllegalStateException("cannot read " + describe() + (cause == null ? " within " + timeout : ": " + cause.getMessage()), cause);
    }
  }

  @Override
  public final void run() {
    try {
      position();
      while (!stopping) {
        for (ConsumerRecord<K, V> record : consumer.poll(POLL)) {
          if (!take(record)) {
            consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
            Thread.sleep(RETRY_DELAY.toMillis());
            break;
          }
        }
        polled();
      }
    } catch (WakeupException e) {
      if (!stopping) {
        fail(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      ready.countDown();
      consumer.close(Duration.ofSeconds(5));
      ended.countDown();
    }
  }

  /** Called when reading failed, after the failure is kept. */
  protected void failed(RuntimeException e) {}

  private void fail(RuntimeException e) {
    LOG.error("Reading {} failed", describe(), e);
    failure.set(e);
    failed(e);
  }

  /** Why reading stopped, when it failed. */
  final Throwable failure() {
    return failure.get();
  }

  /** Stops reading and waits for the consumer to close. */
  final void stop(Duration timeout) throws InterruptedException {
    stopping = true;
    consumer.wakeup();
    ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
