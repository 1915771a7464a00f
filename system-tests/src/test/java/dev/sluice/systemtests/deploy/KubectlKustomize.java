package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code kubectl kustomize}, when {@code kubectl} is on the PATH. Its output is what a
 * user applies; the one difference the tests normalize away is the content hash Kustomize appends
 * to generated ConfigMap names ({@code sluice-kafka-597c72bfmd}): the names and every reference to
 * them lose it, so tests compare the names the manifests wrote.
 */
final class KubectlKustomize {
  /** A generated name: a dash and ten characters of Kustomize's hash alphabet, at the end. */
  private static final Pattern HASHED = Pattern.compile("(.+)-[2456789bcdfghkmt]{10}");

  private KubectlKustomize() {}

  /** kubectl, if the PATH has it. */
  static Optional<Path> binary() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The resources {@code kubectl kustomize dir} builds, generated names without their hash. */
  static List<ObjectNode> build(Path kubectl, Path dir) {
    String yaml = run(kubectl, dir);
    List<ObjectNode> resources = new ArrayList<>();
    Manifests.readString(yaml).forEach(doc -> resources.add((ObjectNode) doc));
    Map<String, String> plain = new HashMap<>();
    for (ObjectNode resource : resources) {
      if (resource.path("kind").asText().equals("ConfigMap")) {
        Matcher hashed = HASHED.matcher(Manifests.name(resource));
        if (hashed.matches()) {
          plain.put(hashed.group(0), hashed.group(1));
        }
      }
    }
    resources.forEach(resource -> unhash(resource, plain));
    return resources;
  }

  private static String run(Path kubectl, Path dir) {
    try {
      Path errors = Files.createTempFile("kustomize", ".err");
      try {
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
            .redirectError(errors.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
          throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + Files.readString(errors));
        }
        return new String(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + kubectl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running kubectl kustomize", e);
    }
  }

  /** Replaces every string value that is a hashed name by the plain name, anywhere in the tree. */
  private static void unhash(JsonNode node, Map<String, String> plain) {
    if (node instanceof ObjectNode object) {
      object.fields().forEachRemaining(field -> field.setValue(unhashed(field.getValue(), plain)));
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, unhashed(array.get(i), plain));
      }
    }
  }

  /** The node with a hashed name replaced, or the node itself with its children unhashed. */
  private static JsonNode unhashed(JsonNode node, Map<String, String> plain) {
    if (node.isTextual() && plain.containsKey(node.asText())) {
      return TextNode.valueOf(plain.get(node.asText()));
    }
    unhash(node, plain);
    return node;
  }
}
