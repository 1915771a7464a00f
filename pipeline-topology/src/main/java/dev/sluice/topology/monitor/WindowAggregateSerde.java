package dev.sluice.topology.monitor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The binary form of a {@link WindowAggregate} in the monitor's repartition topic and window
 * stores: a version byte, then the fields in declaration order (maps as a count and entries, the
 * latency sketch in sketches-java's encoding followed by the exact sum and maximum).
 */
final class WindowAggregateSerde extends DataStreamSerde<WindowAggregate> {
  private static final byte VERSION = 1;

  WindowAggregateSerde() {
    super("window aggregate");
  }

  @Override
  void write(DataOutputStream out, WindowAggregate aggregate) throws IOException {
    out.writeByte(VERSION);
    out.writeLong(aggregate.results);
    writeCounts(out, aggregate.statusCounts);
    writeCounts(out, aggregate.rejectionCounts);
    out.writeLong(aggregate.cacheHits);
    byte[] sketch = aggregate.latency.sketchBytes();
    out.writeInt(sketch.length);
    out.write(sketch);
    out.writeDouble(aggregate.latency.sum());
    out.writeDouble(aggregate.latency.max());
    out.writeLong(aggregate.batches);
    out.writeLong(aggregate.batchItems);
    out.writeLong(aggregate.queuedCount);
    out.writeDouble(aggregate.queuedSumMs);
    out.writeLong(aggregate.realTokens);
    out.writeLong(aggregate.paddedTokens);
    Map<String, Map<String, Long>> cells = aggregate.confusion.cells();
    out.writeInt(cells.size());
    for (Map.Entry<String, Map<String, Long>> row : cells.entrySet()) {
      out.writeUTF(row.getKey());
      writeCounts(out, row.getValue());
    }
  }

  @Override
  WindowAggregate read(DataInputStream in) throws IOException {
    byte version = in.readByte();
    if (version != VERSION) {
      throw new SerializationException("Unknown window aggregate version " + version);
    }
    WindowAggregate aggregate = new WindowAggregate();
    aggregate.results = in.readLong();
    readCounts(in, aggregate.statusCounts);
    readCounts(in, aggregate.rejectionCounts);
    aggregate.cacheHits = in.readLong();
    byte[] sketch = new byte[in.readInt()];
    in.readFully(sketch);
    aggregate.latency = LatencySketch.decode(sketch, in.readDouble(), in.readDouble());
    aggregate.batches = in.readLong();
    aggregate.batchItems = in.readLong();
    aggregate.queuedCount = in.readLong();
    aggregate.queuedSumMs = in.readDouble();
    aggregate.realTokens = in.readLong();
    aggregate.paddedTokens = in.readLong();
    int rows = in.readInt();
    for (int i = 0; i < rows; i++) {
      String actual = in.readUTF();
      int cells = in.readInt();
      for (int j = 0; j < cells; j++) {
        aggregate.confusion.add(actual, in.readUTF(), in.readLong());
      }
    }
    return aggregate;
  }

  private static void writeCounts(DataOutputStream out, Map<String, Long> counts) throws IOException {
    out.writeInt(counts.size());
    for (Map.Entry<String, Long> entry : counts.entrySet()) {
      out.writeUTF(entry.getKey());
      out.writeLong(entry.getValue());
    }
  }

  private static void readCounts(DataInputStream in, Map<String, Long> counts) throws IOException {
    int size = in.readInt();
    for (int i = 0; i < size; i++) {
      counts.put(in.readUTF(), in.readLong());
    }
  }
}
