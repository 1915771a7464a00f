package dev.sluice.topology.monitor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The binary form of a {@link LabelledOutcome} in the join's repartition topics and stores. */
final class LabelledOutcomeSerde extends DataStreamSerde<LabelledOutcome> {
  LabelledOutcomeSerde() {
    super("labelled outcome");
  }

  @Override
  void write(DataOutputStream out, LabelledOutcome outcome) throws IOException {
    writeNullable(out, outcome.model());
    writeNullable(out, outcome.version());
    out.writeUTF(outcome.label());
  }

  @Override
  LabelledOutcome read(DataInputStream in) throws IOException {
    return new LabelledOutcome(readNullable(in), readNullable(in), in.readUTF());
  }

  private static void writeNullable(DataOutputStream out, String text) throws IOException {
    out.writeBoolean(text != null);
    if (text != null) {
      out.writeUTF(text);
    }
  }

  private static String readNullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }
}
