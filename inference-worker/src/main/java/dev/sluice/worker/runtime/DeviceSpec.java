package dev.sluice.worker.runtime;

import java.util.Locale;
import java.util.Optional;

/**
 * Where a model should run, as configured: {@code auto} (a GPU when the engine sees one, else the
 * CPU), {@code cpu}, or {@code gpu:N} ({@code gpu} alone means {@code gpu:0}).
 *
 * @param kind which of the three
 * @param gpuIndex the GPU's index for {@link Kind#GPU}; 0 otherwise
 */
public record DeviceSpec(Kind kind, int gpuIndex) {

  /** The three ways to name a device. */
  public enum Kind { AUTO, CPU, GPU }

  public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
  public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

  public DeviceSpec {
    if (gpuIndex < 0) {
      throw new IllegalArgumentException("GPU index must be >= 0, was " + gpuIndex);
    }
  }

  /** A GPU by index. */
  public static DeviceSpec gpu(int index) {
    return new DeviceSpec(Kind.GPU, index);
  }

  /** Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}; empty for anything else. */
  public static Optional<DeviceSpec> parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("auto")) {
      return Optional.of(AUTO);
    }
    if (value.equals("cpu")) {
      return Optional.of(CPU);
    }
    if (value.equals("gpu")) {
      return Optional.of(gpu(0));
    }
    if (value.startsWith("gpu:")) {
      String index = value.substring("gpu:".length());
      if (!index.isEmpty() && index.length() <= 4 && index.chars().allMatch(Character::isDigit)) {
        return Optional.of(gpu(Integer.parseInt(index)));
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case CPU -> "cpu";
      case GPU -> "gpu:" + gpuIndex;
    };
  }
}
