package dev.sluice.cli;

import dev.sluice.schemas.AvroTrust;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The main class of a deployable's runnable jar (the registry's, the ingress's, the monitor's, the
 * gateway's, the worker's): the {@code sluice} command line with only the commands that jar was built for, named in
 * its manifest's {@value #COMMANDS} attribute. The image keeps the same arguments as with the full
 * jar ({@code registry --port 8081}), while the jar leaves out what those commands never load (the
 * model runtime, the broker, RocksDB). A command the jar does not carry is refused like an unknown
 * one.
 */
public final class DeployableMain {
  /** The manifest attribute naming the command classes, separated by spaces. */
  public static final String COMMANDS = "Sluice-Commands";

  private DeployableMain() {}

  /** Runs the command line of this jar's commands and exits with its status. */
  public static void main(String[] args) {
    AvroTrust.trustContracts();
    if (!LogFormat.applyFromEnvironment()) {
      System.exit(2);
    }
    System.exit(commandLine(commandClasses()).execute(args));
  }

  /** A {@code sluice} command line holding only these commands, with Sluice's error handling. */
  static CommandLine commandLine(String... commandClasses) {
    CommandSpec top = CommandSpec.create().name("sluice").mixinStandardHelpOptions(true)
        .versionProvider(new SluiceVersion());
    top.usageMessage().description("Sluice: streaming inference on Apache Kafka (one deployable's commands).");
    CommandLine cli = new CommandLine(top);
    for (String name : commandClasses) {
      cli.addSubcommand(instantiate(name));
    }
    return HelpLayout.apply(cli.setExecutionExceptionHandler(new Sluice.OneLineErrors()));
  }

  private static Object instantiate(String name) {
    try {
      var constructor = Class.forName(name).getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this jar's manifest names command " + name + ", which it cannot load", e);
    }
  }

  /** The command classes named by the manifest of the jar this class came from (not any other jar on the class path). */
  private static String[] commandClasses() {
    String commands;
    try (JarFile jar = new JarFile(Path.of(DeployableMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile())) {
      Manifest manifest = jar.getManifest();
      commands = manifest == null ? null : manifest.getMainAttributes().getValue(COMMANDS);
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot read the manifest of the jar " + DeployableMain.class.getName() + " came from", e);
    }
    if (commands == null || commands.isBlank()) {
      throw new IllegalStateException("no " + COMMANDS + " attribute in this jar's manifest: run the full sluice.jar instead");
    }
    return commands.trim().split("\\s+");
  }
}
