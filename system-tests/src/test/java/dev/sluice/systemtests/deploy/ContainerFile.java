package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * deploy/docker/Dockerfile read into its stages: each stage's base, its instructions (continuation
 * lines joined) and what it inherits from a stage it is built FROM.
 */
final class ContainerFile {
  static final Path PATH = Manifests.DEPLOY.resolve("docker").resolve("Dockerfile");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One stage.
   *
   * @param name the stage name (the build target)
   * @param from what it is built FROM (an image or an earlier stage)
   * @param instructions its instructions after FROM, keyword upper-cased, e.g. "EXPOSE 8090"
   */
  record Stage(String name, String from, List<String> instructions) {
    List<String> all(String keyword) {
      return instructions.stream().filter(line -> line.startsWith(keyword + " ")).map(line -> line.substring(keyword.length() + 1).strip()).toList();
    }

    Optional<String> last(String keyword) {
      List<String> values = all(keyword);
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }
  }

  private final Map<String, Stage> stages = new LinkedHashMap<>();
  private final Map<String, String> args = new LinkedHashMap<>();

  static ContainerFile read() {
    try {
      return new ContainerFile(Files.readAllLines(PATH));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ContainerFile(List<String> lines) {
    List<String> joined = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (text.endsWith("\\")) {
        current.append(text, 0, text.length() - 1).append(' ');
      } else {
        joined.add(current.append(text).toString());
        current.setLength(0);
      }
    }
    Stage stage = null;
    for (String instruction : joined) {
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(java.util.Locale.ROOT);
      String rest = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        String[] from = rest.split("\\s+");
        if (from.length != 3 || !from[1].equalsIgnoreCase("AS")) {
          throw new IllegalStateException(PATH + ": every stage must be named: FROM " + rest);
        }
        stage = new Stage(from[2], resolveArgs(from[0]), new ArrayList<>());
        stages.put(stage.name(), stage);
      } else if (stage == null && keyword.equals("ARG")) {
        String[] arg = rest.split("=", 2);
        args.put(arg[0], arg.length > 1 ? arg[1] : "");
      } else if (stage != null) {
        stage.instructions().add(keyword + " " + rest);
      }
    }
  }

  private String resolveArgs(String image) {
    if (image.startsWith("${") && image.endsWith("}")) {
      return args.getOrDefault(image.substring(2, image.length() - 1), image);
    }
    return image;
  }

  Map<String, Stage> stages() {
    return stages;
  }

  Stage stage(String name) {
    Stage stage = stages.get(name);
    if (stage == null) {
      throw new AssertionError(PATH + " has no stage (target) " + name + "; it has " + stages.keySet());
    }
    return stage;
  }

  /** An instruction's last value in the stage or the stages it is built from (USER, ENTRYPOINT, CMD, EXPOSE...). */
  Optional<String> effective(String stageName, String keyword) {
    Stage stage = stage(stageName);
    Optional<String> own = stage.last(keyword);
    if (own.isPresent() || !stages.containsKey(stage.from())) {
      return own;
    }
    return effective(stage.from(), keyword);
  }

  /** The image a stage ends up on: its FROM, followed through earlier stages. */
  String baseImage(String stageName) {
    Stage stage = stage(stageName);
    return stages.containsKey(stage.from()) ? baseImage(stage.from()) : stage.from();
  }

  /** A JSON-array instruction value (exec form), e.g. CMD ["worker", "--model", "minilm"]. */
  static List<String> execForm(String value) {
    try {
      List<String> words = new ArrayList<>();
      JSON.readTree(value).forEach(word -> words.add(word.asText()));
      return words;
    } catch (JsonProcessingException e) {
      throw new AssertionError("not in exec (JSON) form: " + value, e);
    }
  }
}
