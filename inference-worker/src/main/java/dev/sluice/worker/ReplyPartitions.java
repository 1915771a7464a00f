package dev.sluice.worker;

import dev.sluice.schemas.topics.Replies;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which reply partition a consumed request's outcome is copied to ({@link Replies}): the one its
 * header names, when the replies topic has it. The partition count is looked up when a request
 * names a partition beyond the last count known, at most once a second, so a header naming no
 * partition (a producer's mistake) costs at most one bounded metadata lookup a second and never a
 * failed send. On the loop thread, which owns the consumer.
 */
final class ReplyPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(ReplyPartitions.class);
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(2);
  static final Duration MIN_LOOKUP_INTERVAL = Duration.ofSeconds(1);

  private final String topic;
  private final Function<Duration, List<PartitionInfo>> lookup;
  private final Clock clock;
  private int known;
  private long lastLookupMillis = Long.MIN_VALUE;
  private long unroutable;

  /**
   * @param topic the replies topic
   * @param lookup the topic's partitions within a timeout (the consumer's {@code partitionsFor}),
   *     empty or null when it does not exist
   * @param clock for the lookup interval
   */
  ReplyPartitions(String topic, Function<Duration, List<PartitionInfo>> lookup, Clock clock) {
    this.topic = topic;
    this.lookup = lookup;
    this.clock = clock;
  }

  /** The reply partition for a request with these headers, or -1 when it asks for none or for one that does not exist. */
  int resolve(Headers headers) {
    int requested = Replies.requestedPartition(headers);
    if (requested < 0 || requested < known) {
      return requested;
    }
    long now = clock.millis();
    if (lastLookupMillis == Long.MIN_VALUE || now - lastLookupMillis >= MIN_LOOKUP_INTERVAL.toMillis()) {
      lastLookupMillis = now;
      try {
        List<PartitionInfo> partitions = lookup.apply(LOOKUP_TIMEOUT);
        known = partitions == null ? 0 : partitions.size();
      } catch (KafkaException e) {
        LOG.warn("Could not look up the partitions of {}: {}", topic, e.toString());
      }
    }
    if (requested < known) {
      return requested;
    }
    if (unroutable++ % 1000 == 0) {
      LOG.warn("A request asks for its outcome on partition {} of {}, which has {}; its outcome goes only to its usual topic"
          + " ({} such requests so far)", requested, topic, known, unroutable);
    }
    return -1;
  }
}
