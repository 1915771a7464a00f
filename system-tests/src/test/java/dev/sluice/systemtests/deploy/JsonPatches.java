package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * The part of JSON Patch (RFC 6902) that deploy/kubernetes uses, for the test's {@link Kustomize}:
 * {@code add} at a path of object fields, its last token a field or {@code -} (append to a list).
 * Any other operation fails the build, so the test never checks less than Kustomize would apply.
 */
final class JsonPatches {
  private JsonPatches() {}

  static void apply(ArrayNode operations, JsonNode target, List<ObjectNode> resources, Path dir) {
    if (target.isMissingNode()) {
      throw new IllegalStateException(dir + ": a JSON patch needs a target");
    }
    List<ObjectNode> matches = resources.stream().filter(resource -> Kustomize.matchesTarget(resource, target)).toList();
    if (matches.isEmpty()) {
      throw new IllegalStateException(dir + ": a JSON patch (target " + target + ") matches no resource");
    }
    for (JsonNode operation : operations) {
      if (!operation.path("op").asText().equals("add")) {
        throw new IllegalStateException(dir + ": the deploy test applies JSON patch 'add' only, not " + operation);
      }
      String path = operation.path("path").asText();
      int last = path.lastIndexOf('/');
      for (ObjectNode resource : matches) {
        JsonNode parent = resource.at(path.substring(0, last));
        String token = path.substring(last + 1);
        if (parent instanceof ArrayNode list && token.equals("-")) {
          list.add(operation.path("value").deepCopy());
        } else if (parent instanceof ObjectNode object) {
          object.set(token, operation.path("value").deepCopy());
        } else {
          throw new IllegalStateException(dir + ": JSON patch path " + path + " names nothing to add to in " + Manifests.name(resource));
        }
      }
    }
  }
}
