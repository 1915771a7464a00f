package dev.sluice.worker.runtime;

import java.util.ArrayList;
import java.util.List;

/** Float arrays as the lists that Avro array fields hold. */
final class FloatLists {
  private FloatLists() {}

  /** The values, boxed, in order. */
  static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    return list;
  }
}
