package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cli.CommandLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * A Deployment, StatefulSet or Job of the manifests, seen as what its one container runs.
 *
 * @param rendered the resources it came with (for its ConfigMaps)
 * @param resource the Deployment, StatefulSet or Job
 */
record Workload(Rendered rendered, ObjectNode resource) {
  static final List<String> KINDS = List.of("Deployment", "StatefulSet", "Job");
  /** The label Kubernetes (1.28+) gives each StatefulSet pod: its ordinal. */
  static final String POD_INDEX_FIELD = "metadata.labels['apps.kubernetes.io/pod-index']";

  String name() {
    return Manifests.name(resource);
  }

  String kind() {
    return resource.path("kind").asText();
  }

  JsonNode podSpec() {
    return resource.path("spec").path("template").path("spec");
  }

  JsonNode podLabels() {
    return resource.path("spec").path("template").path("metadata").path("labels");
  }

  JsonNode container() {
    JsonNode containers = podSpec().path("containers");
    if (containers.size() != 1) {
      throw new AssertionError(rendered.name() + ": " + name() + " should run exactly one container, runs " + containers.size());
    }
    return containers.get(0);
  }

  String image() {
    return container().path("image").asText();
  }

  List<String> args() {
    List<String> args = new ArrayList<>();
    container().path("args").forEach(arg -> args.add(arg.asText()));
    return args;
  }

  /** The sluice command the container runs, parsed as the jar would parse it. */
  CommandLine commandLine() {
    return CommandLines.parse(args());
  }

  /** e.g. "ingress", "worker", "models deploy". */
  String command() {
    return CommandLines.commandName(commandLine());
  }

  /** Whether its pods are long-running ones behind a Service (a Deployment or a StatefulSet). */
  boolean isService() {
    return kind().equals("Deployment") || kind().equals("StatefulSet");
  }

  /**
   * The container's environment: envFrom ConfigMaps in order, then env entries. A value from a
   * Secret reads {@code <secret NAME/KEY>}; the pod name and index from the downward API read as
   * those of a pod of this Deployment or StatefulSet would (index 0).
   */
  Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    for (JsonNode from : container().path("envFrom")) {
      if (!from.has("configMapRef")) {
        throw new AssertionError(rendered.name() + ": " + name() + " takes envFrom other than a ConfigMap: " + from);
      }
      environment.putAll(rendered.configMapData(from.path("configMapRef").path("name").asText()));
    }
    for (JsonNode variable : container().path("env")) {
      JsonNode from = variable.path("valueFrom");
      String value;
      if (variable.has("value")) {
        value = variable.get("value").asText();
      } else if (from.has("secretKeyRef")) {
        value = "<secret " + secretRef(variable) + ">";
      } else if (from.path("fieldRef").path("fieldPath").asText().equals("metadata.name")) {
        value = kind().equals("StatefulSet") ? name() + "-0" : name() + "-5d8c7b9f4-x7k2p";
      } else if (from.path("fieldRef").path("fieldPath").asText().equals(POD_INDEX_FIELD) && kind().equals("StatefulSet")) {
        value = "0";
      } else {
        throw new AssertionError(rendered.name() + ": " + name() + " sets " + variable.path("name").asText() + " in a way the test does not know");
      }
      environment.put(variable.path("name").asText(), value);
    }
    return environment;
  }

  /** Secrets the container reads, as NAME/KEY, by the variable they set. */
  Map<String, String> secretVariables() {
    Map<String, String> secrets = new LinkedHashMap<>();
    container().path("env").forEach(variable -> {
      if (variable.path("valueFrom").has("secretKeyRef")) {
        secrets.put(variable.path("name").asText(), secretRef(variable));
      }
    });
    return secrets;
  }

  /** Downward-API fields the container reads, as paths, by the variable they set. */
  Map<String, String> fieldVariables() {
    Map<String, String> fields = new LinkedHashMap<>();
    container().path("env").forEach(variable -> {
      if (variable.path("valueFrom").has("fieldRef")) {
        fields.put(variable.path("name").asText(), variable.path("valueFrom").path("fieldRef").path("fieldPath").asText());
      }
    });
    return fields;
  }

  private static String secretRef(JsonNode variable) {
    JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
    return ref.path("name").asText() + "/" + ref.path("key").asText();
  }

  /**
   * {@link #environment()} with every value that is a path into a mounted Secret replaced by a
   * {@link SecretStandIns} file of that Secret's key, for parsers that read the files they are given.
   */
  Map<String, String> environmentWithSecretFiles() {
    Map<String, String> environment = new LinkedHashMap<>(environment());
    environment.replaceAll((variable, value) -> secretFile(value));
    return environment;
  }

  /** The stand-in for a path inside a Secret volume of this pod, else the value as it is. */
  private String secretFile(String value) {
    for (JsonNode mount : container().path("volumeMounts")) {
      String root = mount.path("mountPath").asText() + "/";
      if (!value.startsWith(root)) {
        continue;
      }
      for (JsonNode volume : podSpec().path("volumes")) {
        JsonNode secret = volume.path("secret");
        if (!volume.path("name").asText().equals(mount.path("name").asText()) || secret.isMissingNode()) {
          continue;
        }
        String path = value.substring(root.length());
        String key = path;
        if (secret.has("items")) {
          key = null;
          for (JsonNode item : secret.path("items")) {
            if (item.path("path").asText().equals(path)) {
              key = item.path("key").asText();
            }
          }
          if (key == null) {
            throw new AssertionError(rendered.name() + ": " + name() + " names " + value + ", which Secret volume "
                + volume.path("name").asText() + " does not hold");
          }
        }
        return SecretStandIns.file(secret.path("secretName").asText(), key).toString();
      }
    }
    return value;
  }

  /**
   * The settings the component command would hand its application in this container, files from
   * mounted Secrets as {@link #environmentWithSecretFiles()} has them.
   */
  Map<String, String> componentSettings() {
    return CommandLines.componentSettings(commandLine(), environmentWithSecretFiles());
  }

  /** containerPort of the named port. */
  int port(String portName) {
    for (JsonNode port : container().path("ports")) {
      if (port.path("name").asText().equals(portName)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError(rendered.name() + ": " + name() + " has no port named " + portName);
  }

  /** Mount paths of the container's volumes. */
  List<String> mountPaths() {
    List<String> paths = new ArrayList<>();
    container().path("volumeMounts").forEach(mount -> paths.add(mount.path("mountPath").asText()));
    return paths;
  }
}
