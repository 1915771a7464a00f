package dev.sluice.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The runnables' own jars as the deployables module builds them (deployables/target/sluice-&lt;runnable&gt;.jar)
 * and as the images run them. The reactor builds that module before this one, so {@code mvn verify}
 * always has them; a test run on its own needs {@code mvn -B package -DskipTests -pl deployables -am}
 * first.
 */
public final class DeployableJars {
  /** The runnables that have a jar of their own; every other command runs from the whole sluice.jar. */
  public static final List<String> RUNNABLES = List.of("registry", "ingress", "monitor", "gateway", "worker");

  private static final Path TARGET = Path.of("..", "deployables", "target").toAbsolutePath().normalize();

  private DeployableJars() {}

  /** Whether this command runs from a jar of its own. */
  public static boolean has(String command) {
    return RUNNABLES.contains(command);
  }

  /**
   * The jar of this runnable.
   *
   * @throws AssertionError when it has not been built
   */
  public static Path of(String runnable) {
    if (!has(runnable)) {
      throw new IllegalArgumentException(runnable + " has no jar of its own; runnables with one: " + RUNNABLES);
    }
    Path jar = TARGET.resolve("sluice-" + runnable + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(jar + " is missing: build it with mvn -B package -DskipTests -pl deployables -am");
    }
    return jar;
  }

  /** The names of the jar's entries. */
  public static List<String> entries(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(ZipEntry::getName).toList();
    }
  }

  /** The value of a main attribute of the jar's manifest, or null. */
  public static String manifestAttribute(Path jar, String name) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.getManifest().getMainAttributes().getValue(name);
    }
  }
}
