package dev.sluice.schemaregistry;

import java.util.List;

/**
 * An {@link EmbeddedSchemaRegistryConfig} that cannot be used. Every problem found is listed, one
 * per line, in Kafka's shape: {@code Invalid value -1 for configuration registry.port: must be
 * between 0 and 65535}.
 */
public final class RegistryConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * @param problems the problems found, at least one
   */
  public RegistryConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems found, in the order the configuration's fields are declared. */
  public List<String> problems() {
    return problems;
  }
}
