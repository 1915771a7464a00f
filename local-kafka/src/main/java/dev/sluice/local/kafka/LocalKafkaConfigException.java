package dev.sluice.local.kafka;

import java.util.List;

/**
 * A {@link LocalKafkaConfig} was given invalid values. The message lists every problem, one per
 * line, in Kafka's shape: {@code Invalid value -1 for configuration broker.port: must be between 0
 * and 65535}.
 */
public final class LocalKafkaConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates the exception.
   *
   * @param problems every problem found, each a complete sentence in Kafka's shape; not empty
   */
  public LocalKafkaConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in the order the settings were checked. */
  public List<String> problems() {
    return problems;
  }
}
