package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a Kustomize directory the way {@code kubectl kustomize} does, for the subset of Kustomize
 * that deploy/kubernetes uses: resources (files and directories), namespace, labels (not on
 * selectors), configMapGenerator (envs, literals, files; create and merge), images,
 * strategic-merge patches (lists of named items merged by name, other lists replaced) with an
 * optional target selecting several resources, JSON patches ({@link JsonPatches}) on a target, and
 * components (their resources, generators and patches applied after the resources). Generated ConfigMaps keep their plain names (no hash
 * suffix). A field outside this subset fails the build, so the test never checks less than Kustomize
 * would apply. The fallback where kubectl is missing: {@code KustomizeAgreementTest} holds its
 * output equal to {@code kubectl kustomize} on every overlay where both run.
 */
final class Kustomize {
  private static final Set<String> UNDERSTOOD = Set.of("apiVersion", "kind", "namespace", "labels", "resources",
      "configMapGenerator", "images", "patches", "components");

  private final Map<Path, List<Path>> filesRead = new LinkedHashMap<>();

  /** The resources the kustomization in {@code dir} builds. */
  List<ObjectNode> build(Path dir) {
    ObjectNode kustomization = kustomization(dir, "Kustomization");
    List<ObjectNode> resources = new ArrayList<>();
    addResources(dir, kustomization, resources);
    for (JsonNode component : kustomization.path("components")) {
      Path componentDir = dir.resolve(component.asText()).normalize();
      ObjectNode parts = kustomization(componentDir, "Component");
      addResources(componentDir, parts, resources);
      transform(componentDir, parts, resources);
    }
    transform(dir, kustomization, resources);
    return resources;
  }

  private static ObjectNode kustomization(Path dir, String kind) {
    Path file = dir.resolve("kustomization.yaml");
    ObjectNode kustomization = (ObjectNode) Manifests.read(file).get(0);
    kustomization.properties().forEach(property -> {
      String field = property.getKey();
      if (!UNDERSTOOD.contains(field)) {
        throw new IllegalStateException(file + ": the deploy test does not understand the Kustomize field '" + field + "'");
      }
    });
    if (!kustomization.path("kind").asText("Kustomization").equals(kind)) {
      throw new IllegalStateException(file + ": a " + kustomization.path("kind").asText() + " where a " + kind + " belongs");
    }
    return kustomization;
  }

  private void addResources(Path dir, ObjectNode kustomization, List<ObjectNode> resources) {
    for (JsonNode entry : kustomization.path("resources")) {
      Path path = dir.resolve(entry.asText()).normalize();
      if (Files.isDirectory(path)) {
        resources.addAll(build(path));
      } else {
        read(dir, path).forEach(doc -> resources.add((ObjectNode) doc));
      }
    }
  }

  /** Generators, patches, images, labels and the namespace, in that order, over what the resources built. */
  private void transform(Path dir, ObjectNode kustomization, List<ObjectNode> resources) {
    Path file = dir.resolve("kustomization.yaml");
    for (JsonNode generator : kustomization.path("configMapGenerator")) {
      generate(dir, (ObjectNode) generator, resources);
    }
    for (JsonNode patch : kustomization.path("patches")) {
      for (JsonNode doc : read(dir, dir.resolve(patch.path("path").asText()))) {
        if (doc instanceof ArrayNode operations) {
          JsonPatches.apply(operations, patch.path("target"), resources, dir);
        } else {
          applyPatch((ObjectNode) doc, patch.path("target"), resources, dir);
        }
      }
    }
    for (JsonNode image : kustomization.path("images")) {
      resources.forEach(resource -> renameImages(resource, image));
    }
    for (JsonNode labels : kustomization.path("labels")) {
      if (labels.path("includeSelectors").asBoolean(false) || labels.path("includeTemplates").asBoolean(false)) {
        throw new IllegalStateException(file + ": the deploy test handles labels on metadata only");
      }
      resources.forEach(resource -> labels.path("pairs").properties()
          .forEach(pair -> metadata(resource).withObjectProperty("labels").set(pair.getKey(), pair.getValue())));
    }
    if (kustomization.hasNonNull("namespace")) {
      resources.stream().filter(resource -> !resource.path("kind").asText().equals("Namespace"))
          .forEach(resource -> metadata(resource).put("namespace", kustomization.get("namespace").asText()));
    }
  }

  /** Every file a kustomization read, by the directory of that kustomization. */
  Map<Path, List<Path>> filesRead() {
    return filesRead;
  }

  private List<JsonNode> read(Path dir, Path file) {
    filesRead.computeIfAbsent(dir, d -> new ArrayList<>()).add(file.normalize());
    return Manifests.read(file);
  }

  private void generate(Path dir, ObjectNode generator, List<ObjectNode> resources) {
    String name = generator.path("name").asText();
    Map<String, String> data = new LinkedHashMap<>();
    for (JsonNode envs : generator.path("envs")) {
      Path env = dir.resolve(envs.asText());
      filesRead.computeIfAbsent(dir, d -> new ArrayList<>()).add(env.normalize());
      data.putAll(Manifests.readEnvFile(env));
    }
    for (JsonNode literal : generator.path("literals")) {
      String text = literal.asText();
      data.put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
    }
    for (JsonNode files : generator.path("files")) {
      Path source = dir.resolve(files.asText());
      filesRead.computeIfAbsent(dir, d -> new ArrayList<>()).add(source.normalize());
      try {
        data.put(source.getFileName().toString(), Files.readString(source));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String behavior = generator.path("behavior").asText("create");
    ObjectNode existing = resources.stream()
        .filter(resource -> resource.path("kind").asText().equals("ConfigMap") && Manifests.name(resource).equals(name))
        .findFirst().orElse(null);
    if (behavior.equals("merge")) {
      if (existing == null) {
        throw new IllegalStateException(dir + ": configMapGenerator merges into " + name + ", which no resource generates");
      }
      data.forEach((key, value) -> existing.withObjectProperty("data").put(key, value));
      return;
    }
    if (!behavior.equals("create") || existing != null) {
      throw new IllegalStateException(dir + ": configMapGenerator " + name + " with behavior " + behavior + " over " + existing);
    }
    ObjectNode configMap = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    metadata(configMap).put("name", name);
    generator.path("options").path("labels").properties()
        .forEach(label -> metadata(configMap).withObjectProperty("labels").set(label.getKey(), label.getValue()));
    ObjectNode values = configMap.putObject("data");
    data.forEach(values::put);
    resources.add(configMap);
  }

  private static void applyPatch(ObjectNode patch, JsonNode target, List<ObjectNode> resources, Path dir) {
    List<ObjectNode> matches = resources.stream().filter(resource -> target.isMissingNode()
        ? sameKindAndName(resource, patch)
        : matchesTarget(resource, target)).toList();
    if (matches.isEmpty()) {
      throw new IllegalStateException(dir + ": a patch of " + patch.path("kind").asText() + " "
          + Manifests.name(patch) + " (target " + target + ") matches no resource");
    }
    for (ObjectNode resource : matches) {
      ObjectNode body = patch.deepCopy();
      body.remove(List.of("apiVersion", "kind", "metadata"));
      merge(resource, body);
    }
  }

  private static boolean sameKindAndName(ObjectNode resource, ObjectNode patch) {
    return resource.path("kind").asText().equals(patch.path("kind").asText()) && Manifests.name(resource).equals(Manifests.name(patch));
  }

  static boolean matchesTarget(ObjectNode resource, JsonNode target) {
    boolean kind = !target.has("kind") || resource.path("kind").asText().equals(target.get("kind").asText());
    boolean name = !target.has("name") || Manifests.name(resource).equals(target.get("name").asText());
    boolean group = !target.has("group") || resource.path("apiVersion").asText().startsWith(target.get("group").asText() + "/");
    return kind && name && group;
  }

  /** Strategic merge: maps field by field, lists of named items by name, other lists replaced. */
  private static void merge(ObjectNode into, ObjectNode patch) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode current = into.get(field.getKey());
      JsonNode change = field.getValue();
      if (current instanceof ObjectNode currentObject && change instanceof ObjectNode changeObject) {
        merge(currentObject, changeObject);
      } else if (current instanceof ArrayNode currentList && change instanceof ArrayNode changeList && named(currentList) && named(changeList)) {
        mergeByName(currentList, changeList);
      } else {
        into.set(field.getKey(), change.deepCopy());
      }
    }
  }

  private static boolean named(ArrayNode list) {
    return list.size() > 0 && list.get(0).has("name");
  }

  private static void mergeByName(ArrayNode into, ArrayNode patch) {
    for (JsonNode item : patch) {
      ObjectNode match = null;
      for (JsonNode existing : into) {
        if (existing.path("name").asText().equals(item.path("name").asText())) {
          match = (ObjectNode) existing;
        }
      }
      if (match == null) {
        into.add(item.deepCopy());
      } else {
        merge(match, (ObjectNode) item);
      }
    }
  }

  private static void renameImages(JsonNode node, JsonNode image) {
    if (node instanceof ObjectNode object) {
      JsonNode value = object.get("image");
      if (value != null && value.isTextual() && Manifests.imageName(value.asText()).equals(image.path("name").asText())) {
        String newName = image.path("newName").asText(Manifests.imageName(value.asText()));
        String tag = image.has("newTag") ? ":" + image.get("newTag").asText() : Manifests.imageTag(value.asText());
        object.put("image", newName + tag);
      }
      object.elements().forEachRemaining(child -> renameImages(child, image));
    } else if (node instanceof ArrayNode list) {
      list.forEach(child -> renameImages(child, image));
    }
  }

  private static ObjectNode metadata(ObjectNode resource) {
    return resource.withObjectProperty("metadata");
  }
}
