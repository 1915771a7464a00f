package dev.sluice.topology.monitor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The binary form of a {@link VersionHistory} in the alert store and its changelog. */
final class VersionHistorySerde extends DataStreamSerde<VersionHistory> {
  VersionHistorySerde() {
    super("version history");
  }

  @Override
  void write(DataOutputStream out, VersionHistory history) throws IOException {
    out.writeInt(history.throughputs().size());
    for (int i = 0; i < history.throughputs().size(); i++) {
      out.writeDouble(history.throughputs().get(i));
      out.writeLong(history.requests().get(i));
    }
    out.writeLong(history.lastWindowStart());
    out.writeDouble(history.lastP99());
    out.writeLong(history.lastCount());
  }

  @Override
  VersionHistory read(DataInputStream in) throws IOException {
    int size = in.readInt();
    List<Double> throughputs = new ArrayList<>(size);
    List<Long> requests = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      throughputs.add(in.readDouble());
      requests.add(in.readLong());
    }
    return new VersionHistory(throughputs, requests, in.readLong(), in.readDouble(), in.readLong());
  }
}
