package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The deploy tests check what the real {@code kubectl kustomize} builds where kubectl is on the
 * PATH, and what their own {@link Kustomize} builds elsewhere: the two must agree, resource for
 * resource, on the base and every overlay.
 */
class KustomizeAgreementTest {

  @Test
  void theTestsKustomizeBuildsWhatKubectlKustomizeBuildsForEveryOverlay() {
    Optional<Path> kubectl = KubectlKustomize.binary();
    assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: the deploy tests use their own Kustomize builder");
    for (String build : Manifests.BUILDS) {
      Path dir = Manifests.directory(build);
      Map<String, ObjectNode> real = byKindAndName(KubectlKustomize.build(kubectl.get(), dir));
      Map<String, ObjectNode> ours = byKindAndName(new Kustomize().build(dir));

      assertThat(ours.keySet()).as(build + ": resources").containsExactlyElementsOf(real.keySet());
      real.forEach((key, resource) -> assertThat(ours.get(key)).as(build + ": " + key).isEqualTo(resource));
    }
  }

  private static Map<String, ObjectNode> byKindAndName(List<ObjectNode> resources) {
    Map<String, ObjectNode> byKey = new TreeMap<>();
    for (ObjectNode resource : resources) {
      String key = resource.path("kind").asText() + " " + resource.path("metadata").path("namespace").asText() + "/" + Manifests.name(resource);
      assertThat(byKey.put(key, resource)).as("one resource per kind and name: " + key).isNull();
    }
    return byKey;
  }
}
