package dev.sluice.platform.models;

import dev.sluice.avro.ModelLoadState;
import java.util.List;

/**
 * The model status topic as read up to the end offsets.
 *
 * @param states every worker's last report of every version it serves, ordered by key
 *     ({@code model/version/worker}); withdrawn reports left out
 * @param skipped one line per record that could not be read
 */
public record ModelStatusSnapshot(List<ModelLoadState> states, List<String> skipped) {
  public ModelStatusSnapshot {
    states = List.copyOf(states);
    skipped = List.copyOf(skipped);
  }
}
