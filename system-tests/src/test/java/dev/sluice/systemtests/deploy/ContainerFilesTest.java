package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.CommandLines;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.systemtests.DeployableJars;
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
  /** Targets of runnables that listen on a port. */
  private static final List<String> TARGETS = List.of("ingress", "monitor", "gateway", "worker", "worker-gpu", "registry");
  private static final Set<String> BUILD_STAGES = Set.of("build", "build-gpu");
  /** Stages the targets start from: the JRE with the user (each target copies its own jar), and the JRE alone. */
  private static final Set<String> BASE_STAGES = Set.of("runtime", "jre");

  private final ContainerFile dockerfile = ContainerFile.read();

  @Test
  void everyRunnableHasATargetThatStartsItsCommandAndExposesItsPort() {
    for (String target : TARGETS) {
      CommandLine command = CommandLines.parse(ContainerFile.execForm(dockerfile.effective(target, "CMD").orElseThrow()));
      assertThat(target).as("target named after its command").startsWith(CommandLines.commandName(command));
      List<String> exposed = List.of(dockerfile.effective(target, "EXPOSE").orElse("").split("\\s+"));
      assertThat(exposed).as(target + " EXPOSEs where it listens").contains(Integer.toString(AppPorts.httpPort(command, Map.of())));
      if (target.equals("gateway")) {
        assertThat(exposed).as("the gateway's API port").contains(CommandLines.componentSettings(command, Map.of())
            .getOrDefault(GatewayConfig.PORT, Integer.toString(GatewayConfig.DEFAULT_PORT)));
      }
    }
    assertThat(dockerfile.stage("cli").last("CMD")).isPresent();
  }

  @Test
  void everyRuntimeTargetRunsTheCopiedJarOnAJreAsANonRootUser() {
    for (ContainerFile.Stage stage : dockerfile.stages().values()) {
      if (BUILD_STAGES.contains(stage.name()) || BASE_STAGES.contains(stage.name())) {
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
      assertThat(copied.get()).startsWith("--from=build").contains(jarBuiltFor(name));
      String base = dockerfile.baseImage(name);
      assertThat(base.contains("-jre") || copies(name).stream().anyMatch(copy -> copy.startsWith("--from=jre ")))
          .as(name + " runs on a JRE: " + base).isTrue();
      assertThat(dockerfile.effective(name, "WORKDIR")).as(name).contains("/var/lib/sluice");
    }
  }

  @Test
  void theBuildStagesBuildTheRunnablesJarsAndTheCli() throws IOException {
    assertThat(dockerfile.baseImage("build")).startsWith("maven:").contains("17");
    assertThat(dockerfile.stage("build").all("RUN")).anyMatch(run -> run.contains("mvn ") && run.contains("-pl deployables -am package"));
    String cliPom = Files.readString(Manifests.DEPLOY.resolveSibling("cli").resolve("pom.xml"));
    assertThat(cliPom).as("the shade plugin writes the jar the cli image copies").contains("<finalName>sluice</finalName>");
    String deployablesPom = Files.readString(Manifests.DEPLOY.resolveSibling("deployables").resolve("pom.xml"));
    for (String runnable : DeployableJars.RUNNABLES) {
      assertThat(deployablesPom).as("the shade plugin writes the jar the " + runnable + " image copies")
          .contains("<outputFile>${project.build.directory}/sluice-" + runnable + ".jar</outputFile>");
    }
    String ignore = Files.readString(Manifests.DEPLOY.resolve("docker").resolve("Dockerfile.dockerignore"));
    assertThat(ignore).contains("**/target/").contains(".git/");
  }

  /** The jar a runtime target runs: its runnable's own jar, the whole command line for cli. */
  private static String jarBuiltFor(String target) {
    return target.equals("cli") ? "/cli/target/sluice.jar" : "/deployables/target/sluice-" + target.replace("-gpu", "") + ".jar";
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
