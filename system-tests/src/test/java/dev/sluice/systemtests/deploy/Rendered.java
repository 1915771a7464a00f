package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resources a base or overlay builds, with the lookups the tests need.
 *
 * @param name "base" or the overlay's name
 * @param resources every resource
 */
record Rendered(String name, List<ObjectNode> resources) {

  List<ObjectNode> ofKind(String kind) {
    return resources.stream().filter(resource -> resource.path("kind").asText().equals(kind)).toList();
  }

  Optional<ObjectNode> find(String kind, String resourceName) {
    return ofKind(kind).stream().filter(resource -> Manifests.name(resource).equals(resourceName)).findFirst();
  }

  ObjectNode get(String kind, String resourceName) {
    return find(kind, resourceName)
        .orElseThrow(() -> new AssertionError(name + ": no " + kind + " named " + resourceName));
  }

  /** Deployments, StatefulSets and Jobs. */
  List<Workload> workloads() {
    return resources.stream().filter(resource -> Workload.KINDS.contains(resource.path("kind").asText()))
        .map(resource -> new Workload(this, resource)).toList();
  }

  /** Workloads whose container runs this sluice command (e.g. "worker"). */
  List<Workload> running(String command) {
    return workloads().stream().filter(workload -> workload.command().equals(command)).toList();
  }

  /** The Deployment or StatefulSet of this name. */
  Workload workload(String workloadName) {
    return new Workload(this, find("Deployment", workloadName).or(() -> find("StatefulSet", workloadName))
        .orElseThrow(() -> new AssertionError(name + ": no Deployment or StatefulSet named " + workloadName)));
  }

  Map<String, String> configMapData(String configMapName) {
    Map<String, String> data = new LinkedHashMap<>();
    get("ConfigMap", configMapName).path("data").properties().forEach(field -> data.put(field.getKey(), field.getValue().asText()));
    return data;
  }

  /** Whether a label selector (matchLabels only) selects these labels. */
  static boolean selects(JsonNode matchLabels, JsonNode labels) {
    if (matchLabels.isMissingNode() || matchLabels.size() == 0) {
      return false;
    }
    for (var field : matchLabels.properties()) {
      if (!labels.path(field.getKey()).asText().equals(field.getValue().asText())) {
        return false;
      }
    }
    return true;
  }
}
