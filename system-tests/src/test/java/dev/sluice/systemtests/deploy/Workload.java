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
 * A Deployment or Job of the manifests, seen as what its one container runs.
 *
 * @param rendered the resources it came with (for its ConfigMaps)
 * @param resource the Deployment or Job
 */
record Workload(Rendered rendered, ObjectNode resource) {

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

  /**
   * The container's environment: envFrom ConfigMaps in order, then env entries. A value from a
   * Secret reads {@code <secret NAME/KEY>}; the pod name from the downward API reads as a pod name
   * of this Deployment would.
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
        value = name() + "-5d8c7b9f4-x7k2p";
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

  /** The settings the component command would hand its application in this container. */
  Map<String, String> componentSettings() {
    return CommandLines.componentSettings(commandLine(), environment());
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
