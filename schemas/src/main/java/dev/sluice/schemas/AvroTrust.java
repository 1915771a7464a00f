package dev.sluice.schemas;

/**
 * Avro 1.12.2 instantiates classes by name (generated records, and enums when a builder fills in
 * an enum default) only from trusted packages, read once from the system property
 * {@value #PROPERTY}. Every Sluice entry point calls {@link #trustContracts()} first thing, before
 * any Avro class is loaded; the {@code ./sluice} launcher and the test runner also pass the
 * property on the command line.
 */
public final class AvroTrust {
  /** The system property Avro reads its trusted packages from. */
  public static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";
  /** The package of the generated contracts. */
  public static final String CONTRACTS_PACKAGE = "dev.sluice.avro";

  private AvroTrust() {}

  /** Adds the contracts' package to the trusted packages unless it is there already. */
  public static void trustContracts() {
    String current = System.getProperty(PROPERTY, "");
    for (String entry : current.split(",")) {
      if (entry.trim().equals(CONTRACTS_PACKAGE)) {
        return;
      }
    }
    System.setProperty(PROPERTY, current.isBlank() ? CONTRACTS_PACKAGE : current + "," + CONTRACTS_PACKAGE);
  }
}
