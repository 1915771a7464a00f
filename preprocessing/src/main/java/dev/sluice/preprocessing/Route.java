package dev.sluice.preprocessing;

import dev.sluice.avro.ModelDeployment;
import java.util.List;
import java.util.Objects;

/**
 * Where one request goes.
 *
 * @param primary the version whose result is served
 * @param shadows versions that get a copy marked shadow, whose results are never served; sorted
 *     by version, never containing the primary
 */
public record Route(ModelDeployment primary, List<ModelDeployment> shadows) {
  /** Checks the primary is present and copies the shadows. */
  public Route {
    Objects.requireNonNull(primary, "primary");
    shadows = List.copyOf(shadows);
  }
}
