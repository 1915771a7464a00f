package dev.sluice.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.CommandLines;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/docker/Dockerfile: one target per runnable, each built in a separate stage from the same
 * sources, on a JRE (or CUDA with that JRE), as a non-root user, starting the jar it copied with
 * a command the jar has, and exposing the port that runnable listens on.
 */
class ContainerFilesTest {
  /** Runnable targets and the port each listens on by default (null: none). */
  private static final Map<String, Integer> TARGETS = Map.of(
      "ingress", 8090, "monitor", 8092, "worker", 8091, "worker-gpu", 8091, "registry", 8081);
  private static final Set<String> BUILD_STAGES = Set.of("build", "build-gpu");

  private final ContainerFile dockerfile = ContainerFile.read();

  @Test
  void everyRunnableHasATargetThatStartsItsCommandAndExposesItsPort() {
    for (Map.Entry<String, Integer> target : TARGETS.entrySet()) {
      List<String> cmd = ContainerFile.execForm(dockerfile.effective(target.getKey(), "CMD").orElseThrow());
      CommandLine command = CommandLines.parse(cmd);
      String runnable = CommandLines.commandName(command);
      assertThat(target.getKey()).as("target named after its command").startsWith(runnable);
      assertThat(dockerfile.effective(target.getKey(), "EXPOSE")).as(target.getKey()).contains(Integer.toString(target.getValue()));
      assertThat(AppPorts.httpPort(command, Map.of())).as(target.getKey() + " listens where it EXPOSEs").isEqualTo(target.getValue());
    }
    assertThat(dockerfile.stage("cli").last("CMD")).isPresent();
  }

  @Test
  void everyRuntimeTargetRunsTheCopiedJarOnAJreAsANonRootUser() {
    for (ContainerFile.Stage stage : dockerfile.stages().values()) {
      if (BUILD_STAGES.contains(stage.name()) || stage.name().equals("jre")) {
        continue;
      }
      String name = stage.name();
      String user = dockerfile.effective(name, "USER").orElseThrow(() -> new AssertionError(name + " runs as root"));
      assertThat(Integer.parseInt(user.split(":")[0])).as(name + " user").isPositive();
      List<String> entrypoint = ContainerFile.execForm(dockerfile.effective(name, "ENTRYPOINT").orElseThrow());
      assertThat(entrypoint.get(0)).isEqualTo("java");
      assertThat(entrypoint).contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro", "-Dai.djl.offline=true", "-Djava.io.tmpdir=/tmp");
      String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
      Optional<String> copied = copies(name).stream().filter(copy -> copy.endsWith(" " + jar)).findFirst();
      assertThat(copied).as(name + " copies the jar it runs").isPresent();
      assertThat(copied.get()).startsWith("--from=build").contains("/cli/target/sluice.jar");
      String base = dockerfile.baseImage(name);
      assertThat(base.contains("-jre") || copies(name).stream().anyMatch(copy -> copy.startsWith("--from=jre ")))
          .as(name + " runs on a JRE: " + base).isTrue();
      assertThat(dockerfile.effective(name, "WORKDIR")).as(name).contains("/var/lib/sluice");
    }
  }

  @Test
  void theBuildStagesBuildTheShadedJarOfTheCli() throws IOException {
    assertThat(dockerfile.baseImage("build")).startsWith("maven:").contains("17");
    assertThat(dockerfile.stage("build").all("RUN")).anyMatch(run -> run.contains("mvn ") && run.contains("-pl cli -am package"));
    String cliPom = Files.readString(Manifests.DEPLOY.resolveSibling("cli").resolve("pom.xml"));
    assertThat(cliPom).as("the shade plugin writes the jar the images copy").contains("<finalName>sluice</finalName>");
    String ignore = Files.readString(Manifests.DEPLOY.resolve("docker").resolve("Dockerfile.dockerignore"));
    assertThat(ignore).contains("**/target/").contains(".git/");
  }

  private List<String> copies(String stageName) {
    ContainerFile.Stage stage = dockerfile.stage(stageName);
    List<String> own = stage.all("COPY");
    if (!dockerfile.stages().containsKey(stage.from())) {
      return own;
    }
    return Stream.concat(own.stream(), copies(stage.from()).stream()).toList();
  }
}
