package dev.sluice.loadgen;

import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.platform.RejectedIds;
import dev.sluice.platform.UserError;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.WireFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads results and rejections with a read_committed consumer on every partition of both topics
 * (no consumer group, nothing committed), from their ends as they were before the first request
 * was sent, and books each one in the {@link Ledger}. Records that are not Avro of the expected
 * type are skipped: the topics are shared, and foreign bad records are not the bench's business.
 */
public final class OutcomeReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<InferenceResult> results;
  private final AvroDeserializer<RejectedRequest> rejections;
  private final BenchTarget target;
  private final Ledger ledger;
  private final BenchClock clock;
  private final Thread thread;
  private volatile Duration drainTimeout;
  private volatile boolean stopping;
  private volatile RuntimeException failure;
  private volatile Runnable onFailure = () -> {};
  private long skipped;

  /** A reader for the target's results and rejections; call {@link #positionAtEnd} and then {@link #start}. */
  public OutcomeReader(BenchTarget target, String clientId, Ledger ledger, BenchClock clock) {
    Map<String, Object> props = new HashMap<>(target.clientProperties());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    props.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.results = new AvroDeserializer<>(InferenceResult.class, target.registry());
    this.rejections = new AvroDeserializer<>(RejectedRequest.class, target.registry());
    this.target = target;
    this.ledger = ledger;
    this.clock = clock;
    this.thread = new Thread(this::loop, clientId + "-outcomes");
    this.thread.setDaemon(true);
  }

  /**
   * Assigns every partition of the results and rejections topics and resolves their end offsets
   * now, before anything is sent.
   *
   * @throws UserError when a topic is missing or Kafka does not answer within {@code timeout}
   */
  public void positionAtEnd(Duration timeout) {
    List<TopicPartition> partitions = new ArrayList<>();
    try {
      for (String topic : List.of(target.topics().results(), target.topics().rejected())) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
          throw BenchPreflight.missingTopic(topic, target);
        }
        infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(tp -> consumer.position(tp, timeout));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw BenchPreflight.unreachable(target, e);
    } catch (org.apache.kafka.common.errors.UnknownTopicOrPartitionException e) {
      throw new UserError(e.getMessage() + ": create the pipeline's topics with ./sluice topics create --prefix " + target.topics().prefix(), e);
    }
  }

  /** Called once, on the reader's thread, when reading fails. */
  public void onFailure(Runnable callback) {
    this.onFailure = callback;
  }

  /** Starts reading on a thread of its own. */
  public void start() {
    thread.start();
  }

  /** The failure that stopped the reader, or null. */
  public RuntimeException failure() {
    return failure;
  }

  /**
   * Reads on until every partition's position reaches the end it has now (so that late duplicates
   * already written are seen), at most {@code timeout}, then stops the reader.
   */
  public void drainAndStop(Duration timeout) throws InterruptedException {
    drainTimeout = timeout;
    thread.join(timeout.toMillis() + 5_000);
    if (thread.isAlive()) {
      consumer.wakeup();
      thread.join(5_000);
    }
  }

  /** Records skipped because they were not readable as the expected contract. */
  public synchronized long skipped() {
    return skipped;
  }

  private void loop() {
    try {
      Map<TopicPartition, Long> ends = null;
      long drainDeadline = 0;
      while (!stopping) {
        Duration drain = drainTimeout;
        if (drain != null && ends == null) {
          drainDeadline = System.nanoTime() + drain.toNanos();
          ends = consumer.endOffsets(consumer.assignment(), drain);
        }
        if (ends != null && (reached(ends) || System.nanoTime() >= drainDeadline)) {
          return;
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          book(record, clock.nanoTime());
        }
      }
    } catch (WakeupException e) {
      // stopped by drainAndStop or close: nothing more to read
    } catch (SchemaRegistryException e) {
      fail(new UserError("the schema registry at " + target.registryUrl() + " failed while reading outcomes: " + e.getMessage(), e));
    } catch (KafkaException e) {
      fail(BenchPreflight.unreachable(target, e));
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private void fail(RuntimeException e) {
    failure = e;
    onFailure.run();
  }

  private void book(ConsumerRecord<byte[], byte[]> record, long seenNanos) {
    try {
      if (record.topic().equals(target.topics().results())) {
        InferenceResult result = results.deserialize(record.topic(), record.value());
        if (result != null && !result.getShadow()) {
          ledger.result(result.getRequestId(), result.getStatus(), result.getCached(), seenNanos);
        }
      } else {
        RejectedRequest rejection = rejections.deserialize(record.topic(), record.value());
        if (rejection != null) {
          ledger.rejection(RejectedIds.of(rejection, record.key()), rejection.getReason(), seenNanos);
        }
      }
    } catch (WireFormatException e) {
      synchronized (this) {
        skipped++;
      }
    }
  }

  @Override
  public void close() {
    if (thread.isAlive()) {
      stopping = true;
      consumer.wakeup();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
