package dev.sluice.preprocessing;

/**
 * A model deployment record whose limits or feature statistics cannot be used: a non-positive
 * text or payload limit, a tensor dimension other than -1 or a positive size, duplicate feature
 * names, or non-finite statistics. The registry should never have accepted it; requests for such
 * a version cannot be checked against its limits.
 */
public final class InvalidDeploymentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final String version;

  /**
   * Creates the exception.
   *
   * @param model the deployment's model name
   * @param version the deployment's version label
   * @param problems what is wrong with it, one problem per line
   * @param cause the check that failed
   */
  public InvalidDeploymentException(String model, String version, String problems, Throwable cause) {
    super("deployment " + model + ":" + version + " has invalid limits: " + problems, cause);
    this.model = model;
    this.version = version;
  }

  /**
   * The deployment's model name.
   *
   * @return the model name as the record has it
   */
  public String model() {
    return model;
  }

  /**
   * The deployment's version label.
   *
   * @return the version as the record has it
   */
  public String version() {
    return version;
  }
}
