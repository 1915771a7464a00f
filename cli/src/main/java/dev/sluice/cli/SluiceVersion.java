package dev.sluice.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version the jar was built as. */
final class SluiceVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Sluice.class.getPackage().getImplementationVersion();
    return new String[] {"sluice " + (version == null ? "(development build)" : version),
        "Java " + System.getProperty("java.version") + ", " + System.getProperty("java.vm.name")};
  }
}
