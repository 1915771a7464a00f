package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading deploy/: YAML documents, env files, and the parts of names the tests compare. */
final class Manifests {
  /** deploy/, seen from the cli module's directory (where Maven runs its tests). */
  static final Path DEPLOY = Path.of("..", "deploy").normalize();
  static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  /** The base and every overlay, and the base with the opt-in component mcp-writes ({@link #directory}). */
  static final List<String> BUILDS = List.of("base", "dev", "prod", "gpu", "mcp-writes");
  /** Builds of the tests' own: the base with one of deploy/kubernetes/components, by the component's name. */
  private static final Path WITH_COMPONENT = Path.of("src", "test", "resources", "kustomize");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {}

  /** Every non-empty document of a YAML file. */
  static List<JsonNode> read(Path file) {
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      return documents(parser);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  /** Every non-empty document of a YAML stream held in a string. */
  static List<JsonNode> readString(String yaml) {
    try (var parser = YAML.getFactory().createParser(yaml)) {
      return documents(parser);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse kustomize output", e);
    }
  }

  private static List<JsonNode> documents(JsonParser parser) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
      if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
        docs.add(doc);
      }
    });
    return docs;
  }

  /** KEY=VALUE lines of an env file, comments and blank lines skipped. */
  static Map<String, String> readEnvFile(Path file) {
    try {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          int equals = trimmed.indexOf('=');
          if (equals < 1) {
            throw new IllegalStateException(file + ": not KEY=VALUE: " + line);
          }
          values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory of the base, an overlay, or the base with a component. */
  static Path directory(String baseOrOverlay) {
    if (baseOrOverlay.equals("base")) {
      return KUBERNETES.resolve("base");
    }
    Path overlay = KUBERNETES.resolve("overlays").resolve(baseOrOverlay);
    return Files.isDirectory(overlay) ? overlay : WITH_COMPONENT.resolve(baseOrOverlay);
  }

  /**
   * A base or overlay, built by the real {@code kubectl kustomize} when kubectl is on the PATH
   * ({@link KubectlKustomize}), else by the test's own {@link Kustomize}; {@code
   * KustomizeAgreementTest} holds the two equal wherever both run.
   */
  static Rendered render(String baseOrOverlay) {
    Path dir = directory(baseOrOverlay);
    return new Rendered(baseOrOverlay, KubectlKustomize.binary().map(kubectl -> KubectlKustomize.build(kubectl, dir))
        .orElseGet(() -> new Kustomize().build(dir)));
  }

  static String name(JsonNode resource) {
    return resource.path("metadata").path("name").asText();
  }

  /** The image without its tag or digest: {@code reg.io/a/sluice-worker:1} is {@code reg.io/a/sluice-worker}. */
  static String imageName(String image) {
    int at = image.indexOf('@');
    String withoutDigest = at < 0 ? image : image.substring(0, at);
    int colon = withoutDigest.lastIndexOf(':');
    return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
  }

  /** The tag part, with its colon, or "". */
  static String imageTag(String image) {
    return image.substring(imageName(image).length());
  }

  /** The last path segment of the image name: the Dockerfile target is {@code sluice-<that>}. */
  static String imageBaseName(String image) {
    String name = imageName(image);
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
