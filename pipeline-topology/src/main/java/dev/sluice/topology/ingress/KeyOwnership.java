package dev.sluice.topology.ingress;

import dev.sluice.avro.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Which task of the ingress owns an idempotency key: the task of the request partition the key
 * hashes to with Kafka's default partitioner (murmur2 of its UTF-8 bytes), which is where a
 * producer that keys its records by idempotency key sends them. A request whose idempotency key
 * another task owns is passed to that task on {@code <prefix>.requests.rerouted} (same partition
 * count, written to the owner's partition), so its retries meet one dedup store however each was
 * keyed; requests without an idempotency key, and those that arrived at their owner, take no
 * detour.
 *
 * <p>A rerouted record keeps the original's key, value bytes, timestamp and headers, plus the
 * header {@value #ORIGIN_HEADER} ({@code partition/offset} of the original on the request topic,
 * then {@code /decoded} when the first task decoded it in full), which the owner reads as the
 * request's source position and removes before it writes anything.
 */
final class KeyOwnership {
  /** The header that carries a rerouted request's position on the request topic. */
  static final String ORIGIN_HEADER = "sluice.ingress.origin";
  /** Bytes the origin header adds to a record, at most (name, the longest value, framing). */
  static final int ORIGIN_HEADER_ROOM = 96;

  private final int partitions;

  /** @param partitions the partition count of the request topic */
  KeyOwnership(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.partitions = partitions;
  }

  /** The partition an idempotency key hashes to among {@code partitions}, as Kafka's default partitioner places a record keyed by it. */
  static int ownerOf(String idempotencyKey, int partitions) {
    return Utils.toPositive(Utils.murmur2(idempotencyKey.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /** Whether an idempotency key (null for none) is one that the task of another partition owns. */
  boolean ownedElsewhere(String idempotencyKey, int partition) {
    return idempotencyKey != null && !idempotencyKey.isBlank() && partitions > 1 && ownerOf(idempotencyKey, partitions) != partition;
  }

  /** Whether rerouting can happen at all: more than one request partition. */
  boolean partitioned() {
    return partitions > 1;
  }

  /**
   * The headers of a rerouted copy: the original's, plus where the original was read and whether
   * the first task decoded it in full (and so counted it through DECODE).
   */
  static Headers withOrigin(Headers original, SourcePosition source, boolean decoded) {
    RecordHeaders headers = new RecordHeaders(original.toArray());
    headers.remove(ORIGIN_HEADER);
    String position = source == null ? "-1/-1" : source.getPartition() + "/" + source.getOffset();
    headers.add(ORIGIN_HEADER, (position + (decoded ? "/decoded" : "")).getBytes(StandardCharsets.US_ASCII));
    return headers;
  }

  /**
   * Where a rerouted record's original was read, from its headers.
   *
   * @param source the original's position on the request topic, or null when unknown
   * @param decoded whether the first task decoded it in full
   */
  record Origin(SourcePosition source, boolean decoded) {}

  /** The origin a rerouted record's headers carry; unknown position and not decoded when absent or unreadable. */
  static Origin origin(Headers headers, String requestTopic) {
    Header header = headers.lastHeader(ORIGIN_HEADER);
    if (header == null || header.value() == null) {
      return new Origin(null, false);
    }
    String[] parts = new String(header.value(), StandardCharsets.US_ASCII).split("/");
    boolean decoded = parts.length == 3 && parts[2].equals("decoded");
    try {
      int partition = Integer.parseInt(parts[0]);
      long offset = Long.parseLong(parts[1]);
      return new Origin(partition < 0 ? null : new SourcePosition(requestTopic, partition, offset), decoded);
    } catch (RuntimeException e) {
      return new Origin(null, decoded);
    }
  }

  /** A rerouted record's headers as the original had them. */
  static Headers withoutOrigin(Headers headers) {
    RecordHeaders copy = new RecordHeaders(headers.toArray());
    copy.remove(ORIGIN_HEADER);
    return copy;
  }

  /**
   * A request on its way to the task that owns its idempotency key.
   *
   * @param value the original record's value bytes, passed on as they are
   * @param idempotencyKey the key that decides the partition
   */
  record Rerouted(byte[] value, String idempotencyKey) {}

  /** Writes a rerouted request's original bytes. */
  static final class RerouteSerializer implements Serializer<Rerouted> {
    @Override
    public byte[] serialize(String topic, Rerouted data) {
      return data == null ? null : data.value();
    }
  }

  /**
   * Puts a rerouted request on the partition its idempotency key hashes to among the request
   * topic's partitions as the ingress counts them, the same number the decision to reroute used
   * (so a topic grown while the ingress runs cannot split one key's attempts over two tasks).
   */
  static final class ReroutePartitioner implements StreamPartitioner<byte[], Rerouted> {
    private final int partitions;

    /** @param partitions the request topic's partition count, as {@link KeyOwnership} was built with */
    ReroutePartitioner(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, Rerouted value, int numPartitions) {
      return Optional.of(Set.of(ownerOf(value.idempotencyKey(), Math.min(partitions, numPartitions))));
    }
  }
}
