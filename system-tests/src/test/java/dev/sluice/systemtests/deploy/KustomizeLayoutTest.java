package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.worker.runtime.DeviceSpec;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of deploy/kubernetes: every file is used, everything lands in one namespace, and the
 * overlays differ from the base where they say they do (GPU workers only in the gpu overlay).
 */
class KustomizeLayoutTest {

  @Test
  void everyManifestFileIsPartOfABuild() throws IOException {
    Set<Path> read = new HashSet<>();
    for (String build : Manifests.BUILDS) {
      Kustomize kustomize = new Kustomize();
      kustomize.build(Manifests.directory(build));
      kustomize.filesRead().values().forEach(read::addAll);
    }
    try (Stream<Path> files = Stream.concat(Files.walk(Manifests.KUBERNETES), Files.walk(Manifests.DEPLOY.resolve("grafana")))) {
      List<Path> unused = files.filter(Files::isRegularFile).map(Path::normalize)
          .filter(file -> !file.getFileName().toString().equals("kustomization.yaml"))
          .filter(file -> !read.contains(file)).toList();
      assertThat(unused).as("files no kustomization reads").isEmpty();
    }
  }

  @Test
  void everyResourceOfEveryBuildIsInTheSluiceNamespace() {
    for (String build : Manifests.BUILDS) {
      for (ObjectNode resource : Manifests.render(build).resources()) {
        String namespace = resource.path("kind").asText().equals("Namespace") ? Manifests.name(resource)
            : resource.path("metadata").path("namespace").asText();
        assertThat(namespace).as("%s: %s %s", build, resource.path("kind").asText(), Manifests.name(resource)).isEqualTo("sluice");
      }
    }
  }

  @Test
  void onlyTheGpuOverlayPutsWorkersOnGpusWithTheGpuImageAndEngine() {
    for (String build : Manifests.BUILDS) {
      boolean gpu = build.equals("gpu");
      for (Workload worker : Manifests.render(build).running("worker")) {
        String what = build + ": " + worker.name();
        JsonNode limits = worker.container().path("resources").path("limits");
        DeviceSpec device = RuntimeConfig.from(worker.componentSettings()).device();
        assertThat(limits.has("nvidia.com/gpu")).as(what + " asks for a GPU").isEqualTo(gpu);
        assertThat(Manifests.imageBaseName(worker.image())).as(what).isEqualTo(gpu ? "sluice-worker-gpu" : "sluice-worker");
        assertThat(device.kind()).as(what + " device").isEqualTo(gpu ? DeviceSpec.Kind.GPU : DeviceSpec.Kind.CPU);
        assertThat(worker.podSpec().path("nodeSelector").has("nvidia.com/gpu.present")).as(what + " selects GPU nodes").isEqualTo(gpu);
        assertThat(worker.podSpec().path("tolerations").toString().contains("nvidia.com/gpu")).as(what + " tolerates the GPU taint").isEqualTo(gpu);
        for (Workload other : Manifests.render(build).workloads()) {
          if (!other.command().equals("worker")) {
            assertThat(other.container().path("resources").path("limits").has("nvidia.com/gpu")).as(build + ": " + other.name()).isFalse();
          }
        }
      }
    }
  }

  @Test
  void theGpuImageIsBuiltWithTheGpuEngineProfileOnACudaBase() throws IOException {
    ContainerFile dockerfile = ContainerFile.read();
    assertThat(dockerfile.baseImage("worker-gpu")).startsWith("nvidia/cuda:").contains("cudnn");
    String build = dockerfile.stage("build-gpu").all("RUN").get(0);
    assertThat(build).contains(" -Pgpu ").contains("package");
    assertThat(dockerfile.stage("worker-gpu").all("COPY")).anyMatch(copy -> copy.startsWith("--from=build-gpu "));
    String workerPom = Files.readString(Manifests.DEPLOY.resolveSibling("inference-worker").resolve("pom.xml"));
    assertThat(workerPom).contains("<id>gpu</id>").contains("<onnxruntime.artifactId>onnxruntime_gpu</onnxruntime.artifactId>");
  }
}
