package dev.sluice.cli.run;

import java.util.Map;

/** A command that runs one pipeline component ({@code ingress}, {@code monitor}, {@code worker}) from SLUICE_* settings. */
public interface ComponentCommand {
  /** What the component is given: its properties file, then this environment, then the command's flags. */
  Map<String, String> settings(Map<String, String> environment);
}
